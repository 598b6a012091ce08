#pragma once
#include <string>

#include "cli/command.h"
#include "core/runtime.h"
#include "io/vector_writer.h"
#include "ot_problem.h"
#include "ot_report.h"
#include "ot_samples.h"

namespace geoenc::tools {

// geoenc-ot-distance SOURCE TARGET | SOURCE --group-by FIELD: optimal-transport
// distances (exact, Sinkhorn, Sinkhorn divergence, GeoSpOT's default) between
// point sets, printed as JSON or CSV; optionally the largest flows as lines.
class OtCommand final : public cli::Command, private cli::VectorInputOptions {
public:
    OtCommand();

private:
    void declare(cli::ArgTable& table) override;
    void setup(const cli::ParsedArgs& args) override;
    void run() override;

    void embed(std::map<std::string, Samples>& sets) const;
    void run_pair(Samples& source, Samples& target);
    void run_groups(std::map<std::string, Samples>& groups, const std::string& where);

    std::string source_, target_, plan_;
    io::ReaderOptions target_reader_;
    SampleRequest request_;
    RunParameters params_;
    Precision precision_ = Precision::Float32;
    io::WriterOptions plan_writer_;
    bool csv_ = false;
};

}  // namespace geoenc::tools
