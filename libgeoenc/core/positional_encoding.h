#pragma once
// Positional encodings: fixed (untrained) maps from (lon, lat) to a feature
// vector, as compared in Russwurm et al., "Geographic Location Encoding with
// Spherical Harmonics and Sinusoidal Representation Networks" (ICLR 2024).
//
//   sh          spherical harmonics, L*L features (core/spherical_harmonics.h)
//   direct      2 features        cartesian3d  3 features      wrap  4 features
//   grid        4F                theory       6F
//   spherec     6F                spherec+     12F
//   spherem     10F               spherem+     16F
//
// F is the frequency count. Formulas, defaults and the degrees-vs-radians note
// are in core/sinusoidal_encodings.h.
//
// Compute-core header: it pulls in ATen, so only compute translation units
// include it (CLI and I/O code go through core/location_encoder.h).
#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model_spec.h"

namespace geoenc {

class PositionalEncoding {
public:
    virtual ~PositionalEncoding() = default;
    virtual int64_t dim() const = 0;
    // Canonical spec text with every parameter spelled out (defaults included),
    // so metadata records exactly what produced the features, e.g.
    // "spherec+:frequencies=16,min_radius=10,max_radius=360".
    virtual std::string name() const = 0;
    // lon_deg, lat_deg: 1-D float64 tensors in DEGREES on any device (CPU or CUDA).
    // Returns an n x dim() tensor of `dtype` on the same device.
    virtual at::Tensor encode(const at::Tensor& lon_deg, const at::Tensor& lat_deg,
                              at::ScalarType dtype) const = 0;
    // CPU fast path into a caller's row-major n x dim() buffer; the default wraps
    // the buffers as tensors and goes through encode().
    virtual void encode_cpu(const double* lon, const double* lat, std::size_t n, float* out) const;
    virtual void encode_cpu(const double* lon, const double* lat, std::size_t n, double* out) const;
    // float32 output accurate to float64 level: every value is the float64
    // encoding rounded once (what the float32 location encoder feeds SIREN,
    // whose first layer amplifies input errors ~30x). The default computes
    // into a float64 buffer and rounds; encodings with a mixed-precision
    // kernel override it.
    virtual void encode_cpu_accurate_f32(const double* lon, const double* lat, std::size_t n,
                                         float* out) const;
};

// spec.kind is one of positional_encoding_kinds(); spec.params holds its
// KEY=VALUE pairs. Throws UsageError for an unknown kind, an unknown parameter
// or an out-of-range value.
std::unique_ptr<PositionalEncoding> make_positional_encoding(const ModelSpec& spec);

// The kinds make_positional_encoding accepts, in documentation order.
std::vector<std::string> positional_encoding_kinds();

}  // namespace geoenc
