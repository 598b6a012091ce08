#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cli/command.h"
#include "moran_compute.h"
#include "moran_weights.h"

namespace geoenc::tools {

// geoenc-moran INPUT [OUTPUT]: global Moran's I (JSON/CSV on stdout), local
// Moran's I as new fields on the features, or SXL's multi-resolution local
// Moran of a raster band as a 3-band GeoTIFF.
class MoranCommand final : public cli::Command,
                           private cli::VectorInputOptions,
                           private cli::VectorOutputOptions {
public:
    MoranCommand();

private:
    enum class Mode { Global, Local, Multires };

    void declare(cli::ArgTable& table) override;
    void setup(const cli::ParsedArgs& args) override;
    void run() override;
    void run_multires();

    std::string input_, output_;
    Mode mode_ = Mode::Global;
    std::vector<std::string> fields_;
    std::string fields_like_, id_field_, save_weights_, transform_ = "r";
    std::string metric_ = "auto";  // --metric: auto | sphere | planar
    std::string bivariate_x_, bivariate_y_;  // both set with --bivariate
    bool csv_ = false;                       // global results as CSV
    int band_ = 1;
    WeightsRequest weights_;
    TestOptions tests_;
};

}  // namespace geoenc::tools
