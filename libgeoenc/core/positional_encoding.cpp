#include "core/positional_encoding.h"

#include <vector>

#include "core/errors.h"
#include "core/sinusoidal_encodings.h"
#include "core/spherical_harmonics.h"
#include "core/spherical_harmonics_tensor.h"

// The factory, the tensor-backed CPU default, and the `sh` adapter. The nine
// sinusoidal encodings live in core/sinusoidal_encodings.cpp.
namespace geoenc {

namespace {

// Wraps the caller's buffers as CPU tensors (no copies in) and writes the
// result straight into `out`, so encodings without a dedicated CPU kernel
// still serve the CPU path with one implementation.
template <typename T>
void encode_through_tensor(const PositionalEncoding& pe, const double* lon, const double* lat, std::size_t n,
                           T* out, at::ScalarType dtype) {
    if (n == 0) return;
    const auto f64 = at::TensorOptions().dtype(at::kDouble);
    const at::Tensor tlon = at::from_blob(const_cast<double*>(lon), {int64_t(n)}, f64);
    const at::Tensor tlat = at::from_blob(const_cast<double*>(lat), {int64_t(n)}, f64);
    at::from_blob(out, {int64_t(n), pe.dim()}, at::TensorOptions().dtype(dtype))
        .copy_(pe.encode(tlon, tlat, dtype));
}

// sh:L=N[,convention=satclip|orthonormal]: tensors go to the LibTorch path
// (the one that runs on CUDA), raw buffers to the fast CPU kernel.
class HarmonicsEncoding final : public PositionalEncoding {
public:
    explicit HarmonicsEncoding(const ModelSpec& spec)
        : L_(spec.get_int("L", 10)), conv_(parse_sh_convention(spec.get("convention", "satclip"))) {
        for (const auto& [k, v] : spec.params)
            if (k != "L" && k != "convention")
                throw UsageError("--model sh: unknown parameter '" + k + "' (expected L, convention)");
        if (L_ < 1 || L_ > kMaxShDegree)
            throw UsageError("--model sh: L must be in 1.." + std::to_string(kMaxShDegree) + ", got " +
                             std::to_string(L_));
    }

    int64_t dim() const override { return int64_t(L_) * L_; }

    std::string name() const override {
        return "sh:L=" + std::to_string(L_) + ",convention=" + to_string(conv_);
    }

    at::Tensor encode(const at::Tensor& lon_deg, const at::Tensor& lat_deg, at::ScalarType dtype) const override {
        return spherical_harmonics_tensor(lon_deg.to(at::kDouble), lat_deg.to(at::kDouble), L_, conv_, dtype);
    }

    void encode_cpu(const double* lon, const double* lat, std::size_t n, float* out) const override {
        spherical_harmonics(lon, lat, n, L_, conv_, out);
    }
    void encode_cpu(const double* lon, const double* lat, std::size_t n, double* out) const override {
        spherical_harmonics(lon, lat, n, L_, conv_, out);
    }
    // Float64 recurrence, rounded once to float32: no float64 buffer, no copy.
    void encode_cpu_accurate_f32(const double* lon, const double* lat, std::size_t n,
                                 float* out) const override {
        spherical_harmonics_f64_to_f32(lon, lat, n, L_, conv_, out);
    }

private:
    int L_;
    ShConvention conv_;
};

}  // namespace

void PositionalEncoding::encode_cpu(const double* lon, const double* lat, std::size_t n, float* out) const {
    encode_through_tensor(*this, lon, lat, n, out, at::kFloat);
}

void PositionalEncoding::encode_cpu(const double* lon, const double* lat, std::size_t n, double* out) const {
    encode_through_tensor(*this, lon, lat, n, out, at::kDouble);
}

void PositionalEncoding::encode_cpu_accurate_f32(const double* lon, const double* lat, std::size_t n,
                                                 float* out) const {
    // Per-thread scratch, reused across calls (the encoder calls this per chunk).
    thread_local std::vector<double> scratch;
    const std::size_t count = n * std::size_t(dim());
    if (scratch.size() < count) scratch.resize(count);
    encode_cpu(lon, lat, n, scratch.data());
    for (std::size_t i = 0; i < count; ++i) out[i] = float(scratch[i]);
}

std::unique_ptr<PositionalEncoding> make_positional_encoding(const ModelSpec& spec) {
    if (spec.kind == "sh") return std::make_unique<HarmonicsEncoding>(spec);
    for (const auto& k : sinusoidal_kinds())
        if (spec.kind == k) return make_sinusoidal_encoding(spec);
    std::string known;
    for (const auto& k : positional_encoding_kinds()) known += (known.empty() ? "" : ", ") + k;
    throw UsageError("--model " + spec.kind + ": unknown positional encoding (expected one of " + known + ")");
}

std::vector<std::string> positional_encoding_kinds() {
    std::vector<std::string> kinds{"sh"};
    const auto& rest = sinusoidal_kinds();
    kinds.insert(kinds.end(), rest.begin(), rest.end());
    return kinds;
}

}  // namespace geoenc
