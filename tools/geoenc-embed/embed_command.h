#pragma once
#include <string>

#include "cli/command.h"

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

    std::string input_, output_, model_, prefix_;
    Precision precision_ = Precision::Float32;
    std::size_t batch_size_ = 4096;
};

}  // namespace geoenc::tools
