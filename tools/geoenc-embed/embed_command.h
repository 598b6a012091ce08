#pragma once
#include <string>

#include <cstdint>
#include <vector>

#include "cli/command.h"
#include "core/location_encoder.h"
#include "io/feature_batch.h"
#include "io/vector_reader.h"

namespace geoenc::tools {

// geoenc-embed INPUT OUTPUT --model MODEL: every input feature, with its
// attributes and geometry, plus the location embedding as REAL columns.
class EmbedCommand final : public cli::Command,
                           private cli::VectorInputOptions,
                           private cli::VectorOutputOptions {
public:
    EmbedCommand();

private:
    void declare(cli::ArgTable& table) override;
    void setup(const cli::ParsedArgs& args) override;
    void run() override;

    void encode_batch(LocationEncoder& encoder, const io::VectorReader& source, const io::FeatureBatch& batch,
                      std::vector<double>& embedding);

    std::string input_, output_, model_, prefix_;
    bool prefix_given_ = false;
    Precision precision_ = Precision::Float32;
    std::size_t batch_size_ = 4096;
    bool blob_ = false;
    int samples_ = 0;  // > 0: --aggregate mean over this many points per polygon
    std::uint64_t seed_ = 0;
};

}  // namespace geoenc::tools
