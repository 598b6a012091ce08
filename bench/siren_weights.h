#pragma once
// Random weights of SatCLIP's SIREN shape (two hidden layers of `width`), with
// SIREN's initialisation (uniform +-sqrt(6/in)/w0, first layer +-1/in), so
// the benchmarks run at realistic magnitudes without a checkpoint. Seeded:
// every benchmark gets the same numbers (drawn in float64, then cast to dtype).
#include <ATen/ATen.h>

#include <cmath>

#include "core/networks.h"

namespace geoenc::bench {

inline TensorMap siren_weights(int64_t in, int64_t width, int64_t out, at::ScalarType dtype = at::kDouble) {
    at::manual_seed(0);
    auto uniform = [dtype](int64_t rows, int64_t cols, double bound) {
        return (at::rand({rows, cols}, at::kDouble) * (2 * bound) - bound).to(dtype);
    };
    TensorMap w;
    w["layers.0.weight"] = uniform(width, in, 1.0 / double(in));
    w["layers.0.bias"] = uniform(width, 1, 1.0 / std::sqrt(double(in))).view({width});
    w["layers.1.weight"] = uniform(width, width, std::sqrt(6.0 / double(width)));
    w["layers.1.bias"] = uniform(width, 1, 1.0 / std::sqrt(double(width))).view({width});
    w["last_layer.weight"] = uniform(out, width, std::sqrt(6.0 / double(width)));
    w["last_layer.bias"] = uniform(out, 1, 1.0 / std::sqrt(double(width))).view({out});
    return w;
}

}  // namespace geoenc::bench
