#pragma once
// The interface every tool uses to turn locations into feature vectors. It is
// torch-free so CLI and I/O code can hold an encoder without LibTorch headers.
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "core/grid_encoder.h"
#include "core/prediction_head.h"
#include "core/runtime.h"

namespace geoenc {

struct EncoderOptions {
    DeviceKind device = DeviceKind::Auto;
    Precision precision = Precision::Float32;
    // Recorded as GEOENC_MODEL for a model file instead of its file name, e.g. the
    // registry name of a cached download ("satclip-resnet50-l40").
    std::string display_name;
};

class LocationEncoder {
public:
    virtual ~LocationEncoder() = default;
    virtual std::size_t dim() const = 0;
    // Canonical model text ("sh:L=10,convention=satclip"), recorded in outputs.
    virtual std::string name() const = 0;
    // Key/value facts for output metadata (model, convention, precision, device...).
    virtual std::map<std::string, std::string> metadata() const = 0;
    // lon/lat in degrees, n points; writes n * dim() values, row-major.
    virtual void encode(const double* lon, const double* lat, std::size_t n, double* out) = 0;
    // The separable evaluation on lon/lat grids (core/grid_encoder.h), or null
    // when this model does not separate (only sh, optionally followed by a
    // network, does) or runs on CUDA.
    virtual std::unique_ptr<GridEncoder> grid_encoder() const { return nullptr; }
    // A model trained by geoenc-train: encode() then gives class probabilities
    // (labels order) or the regression value. Null for an embedding model.
    virtual const PredictorSpec* predictor() const { return nullptr; }
};

// Resolves a --model value. Throws UsageError for a malformed or unknown model.
std::unique_ptr<LocationEncoder> open_encoder(const std::string& model, const EncoderOptions& opts);

}  // namespace geoenc
