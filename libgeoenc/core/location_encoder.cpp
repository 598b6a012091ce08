#include "core/location_encoder.h"

#include <cstring>
#include <vector>

#include "core/errors.h"
#include "core/model_spec.h"
#include "core/spherical_harmonics.h"
#include "core/spherical_harmonics_tensor.h"

namespace geoenc {

namespace {

// sh:L=N — the analytic positional encoding alone (no network, no file).
class HarmonicsEncoder final : public LocationEncoder {
public:
    HarmonicsEncoder(const ModelSpec& spec, const EncoderOptions& opts)
        : L_(spec.get_int("L", 10)),
          conv_(parse_sh_convention(spec.get("convention", "satclip"))),
          precision_(opts.precision),
          device_(resolve_device(opts.device)) {
        for (const auto& [k, v] : spec.params)
            if (k != "L" && k != "convention")
                throw UsageError("--model sh: unknown parameter '" + k + "' (expected L, convention)");
        if (L_ < 1 || L_ > kMaxShDegree)
            throw UsageError("--model sh: L must be in 1.." + std::to_string(kMaxShDegree) + ", got " +
                             std::to_string(L_));
    }

    std::size_t dim() const override { return std::size_t(L_) * L_; }

    std::string name() const override {
        return "sh:L=" + std::to_string(L_) + ",convention=" + to_string(conv_);
    }

    std::map<std::string, std::string> metadata() const override {
        return {{"GEOENC_MODEL", name()},
                {"GEOENC_CONVENTION", to_string(conv_)},
                {"GEOENC_PRECISION", to_string(precision_)},
                {"GEOENC_DIM", std::to_string(dim())}};
    }

    void encode(const double* lon, const double* lat, std::size_t n, double* out) override {
        if (n == 0) return;
        if (device_ == DeviceKind::Cuda) return encode_tensor(lon, lat, n, out);
        if (precision_ == Precision::Float64) {
            spherical_harmonics(lon, lat, n, L_, conv_, out);
            return;
        }
        scratch_.resize(n * dim());
        spherical_harmonics(lon, lat, n, L_, conv_, scratch_.data());
        for (std::size_t i = 0; i < scratch_.size(); ++i) out[i] = scratch_[i];
    }

private:
    void encode_tensor(const double* lon, const double* lat, std::size_t n, double* out) {
        const auto cpu = at::TensorOptions().dtype(at::kDouble);
        const at::Device dev(at::kCUDA);
        at::Tensor tlon = at::from_blob(const_cast<double*>(lon), {int64_t(n)}, cpu).to(dev);
        at::Tensor tlat = at::from_blob(const_cast<double*>(lat), {int64_t(n)}, cpu).to(dev);
        const auto dtype = precision_ == Precision::Float64 ? at::kDouble : at::kFloat;
        at::Tensor y = spherical_harmonics_tensor(tlon, tlat, L_, conv_, dtype)
                           .to(at::kCPU, at::kDouble)
                           .contiguous();
        std::memcpy(out, y.data_ptr<double>(), n * dim() * sizeof(double));
    }

    int L_;
    ShConvention conv_;
    Precision precision_;
    DeviceKind device_;
    std::vector<float> scratch_;
};

}  // namespace

std::unique_ptr<LocationEncoder> open_encoder(const std::string& model, const EncoderOptions& opts) {
    const ModelSpec spec = parse_model_spec(model);
    if (spec.kind == "sh") return std::make_unique<HarmonicsEncoder>(spec, opts);
    throw UsageError("--model " + model +
                     ": unknown model (this build knows sh:L=N[,convention=satclip|orthonormal])");
}

}  // namespace geoenc
