#pragma once
// The network and probe-head specs of geoenc-train, as users write them:
//   --net  siren:256x2 | siren:256x2,w0_initial=30,w0=1 | fcnet:256x2 | linear
//   --head linear | mlp | mlp:64
// WIDTHxDEPTH is the hidden width and the number of hidden layers (siren) or
// residual blocks (fcnet). Torch-free.
#include <cstdint>
#include <string>

namespace geoenc::train {

struct NetSpec {
    std::string kind = "siren";  // siren | fcnet | linear
    int64_t width = 256;
    int depth = 2;
    double w0_initial = 30.0, w0 = 1.0;  // siren
    std::string text() const;            // canonical: "siren:256x2,w0_initial=30,w0=1"
};

struct HeadSpec {
    std::string kind = "linear";  // linear | mlp
    int64_t width = 256;          // mlp hidden width
    std::string text() const;
};

// Throw UsageError naming the option.
NetSpec parse_net_spec(const std::string& text);
HeadSpec parse_head_spec(const std::string& text);

}  // namespace geoenc::train
