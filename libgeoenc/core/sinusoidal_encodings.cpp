#include "core/sinusoidal_encodings.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/errors.h"

// Formulas, defaults and the degrees-vs-radians decision: see the header.
namespace geoenc {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDegToRad = kPi / 180.0;
constexpr int kMaxFrequencies = 1024;  // 16 * 1024 features is already far past any use

enum class Kind { Direct, Cartesian3d, Wrap, Grid, Theory, SphereC, SphereCPlus, SphereM, SphereMPlus };

struct KindInfo {
    const char* name;
    Kind kind;
    int per_scale;  // columns per frequency; 0 marks a fixed-width kind
    int fixed_dim;
};

const KindInfo kKinds[] = {
    {"direct", Kind::Direct, 0, 2},      {"cartesian3d", Kind::Cartesian3d, 0, 3},
    {"wrap", Kind::Wrap, 0, 4},          {"grid", Kind::Grid, 4, 0},
    {"theory", Kind::Theory, 6, 0},      {"spherec", Kind::SphereC, 6, 0},
    {"spherec+", Kind::SphereCPlus, 12, 0}, {"spherem", Kind::SphereM, 10, 0},
    {"spherem+", Kind::SphereMPlus, 16, 0},
};

const KindInfo* find_kind(const std::string& name) {
    for (const auto& k : kKinds)
        if (name == k.name) return &k;
    return nullptr;
}

// Short text that reads back to the same double, so name() shows "10", not
// "10.000000", and still round-trips through parse_model_spec exactly. Starting
// at 6 digits keeps %g from writing 10 as "1e+01".
std::string format_number(double v) {
    char buf[40];
    for (int prec = 6; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

double get_positive_double(const ModelSpec& spec, const std::string& key, double fallback) {
    auto it = spec.params.find(key);
    if (it == spec.params.end()) return fallback;
    char* end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    if (it->second.empty() || *end != '\0' || !std::isfinite(v) || v <= 0)
        throw UsageError("--model " + spec.kind + ": " + key + "=" + it->second +
                         " is not a positive number");
    return v;
}

// Inputs as float64 radians on their own device; longitude wrapped to [-pi, pi)
// in degrees first, where 180 and -180 land exactly on -180.
struct Radians {
    at::Tensor lam, phi;  // shape (n, 1), so they broadcast against (1, F) frequencies
};

Radians to_radians(const at::Tensor& lon_deg, const at::Tensor& lat_deg) {
    if (lon_deg.dim() != 1 || lat_deg.dim() != 1 || lon_deg.numel() != lat_deg.numel())
        throw std::invalid_argument("positional encoding: lon and lat must be 1-D tensors of equal length");
    if (lon_deg.device() != lat_deg.device())
        throw std::invalid_argument("positional encoding: lon and lat must be on the same device");
    const at::Tensor lon = lon_deg.to(at::kDouble);
    const at::Tensor wrapped = lon - 360.0 * at::floor((lon + 180.0) / 360.0);
    return {(wrapped * kDegToRad).unsqueeze(1), (lat_deg.to(at::kDouble) * kDegToRad).unsqueeze(1)};
}

// Stacks equally shaped (n, F) terms as [t0, t1, ...] per scale, each repeated
// `copies` times in a row, giving (n, F * terms * copies) in scale-major order.
at::Tensor per_scale(const std::vector<at::Tensor>& terms, int copies) {
    std::vector<at::Tensor> cols;
    for (const auto& t : terms)
        for (int c = 0; c < copies; ++c) cols.push_back(t);
    const at::Tensor stacked = at::stack(cols, 2);  // (n, F, k)
    // Explicit sizes: reshape(n, -1) is ambiguous when n == 0.
    return stacked.reshape({stacked.size(0), stacked.size(1) * stacked.size(2)});
}

class SinusoidalEncoding final : public PositionalEncoding {
public:
    explicit SinusoidalEncoding(const KindInfo& info, const ModelSpec& spec) : info_(info) {
        const bool multiscale = info_.per_scale > 0;
        for (const auto& [k, v] : spec.params) {
            const bool known = multiscale && (k == "frequencies" || k == "min_radius" || k == "max_radius");
            if (!known)
                throw UsageError("--model " + spec.kind + ": unknown parameter '" + k + "'" +
                                 (multiscale ? " (expected frequencies, min_radius, max_radius)"
                                             : " (this encoding takes no parameters)"));
        }
        if (!multiscale) return;
        frequencies_ = spec.get_int("frequencies", 16);
        min_radius_ = get_positive_double(spec, "min_radius", 10.0);
        max_radius_ = get_positive_double(spec, "max_radius", 360.0);
        if (frequencies_ < 1 || frequencies_ > kMaxFrequencies)
            throw UsageError("--model " + spec.kind + ": frequencies must be in 1.." +
                             std::to_string(kMaxFrequencies) + ", got " + std::to_string(frequencies_));
        if (max_radius_ < min_radius_)
            throw UsageError("--model " + spec.kind + ": max_radius (" + format_number(max_radius_) +
                             ") is smaller than min_radius (" + format_number(min_radius_) + ")");
        // Geometric schedule in radians, finest scale first (reference _cal_freq_list).
        const double rho_min = min_radius_ * kDegToRad;
        const double step = frequencies_ > 1 ? std::log(max_radius_ / min_radius_) / (frequencies_ - 1) : 0.0;
        for (int s = 0; s < frequencies_; ++s) omega_.push_back(1.0 / (rho_min * std::exp(s * step)));
    }

    int64_t dim() const override {
        return info_.per_scale > 0 ? int64_t(info_.per_scale) * frequencies_ : info_.fixed_dim;
    }

    std::string name() const override {
        if (info_.per_scale == 0) return info_.name;
        return std::string(info_.name) + ":frequencies=" + std::to_string(frequencies_) +
               ",min_radius=" + format_number(min_radius_) + ",max_radius=" + format_number(max_radius_);
    }

    at::Tensor encode(const at::Tensor& lon_deg, const at::Tensor& lat_deg, at::ScalarType dtype) const override {
        const Radians r = to_radians(lon_deg, lat_deg);
        const at::Tensor out = info_.per_scale > 0 ? multiscale(r) : fixed(r);
        return out.to(dtype).contiguous();
    }

private:
    at::Tensor fixed(const Radians& r) const {
        const at::Tensor &lam = r.lam, &phi = r.phi;
        switch (info_.kind) {
            case Kind::Direct: return at::cat({lam - kPi, phi - kPi}, 1);
            case Kind::Cartesian3d:
                return at::cat({at::cos(lam) * at::cos(phi), at::sin(lam) * at::cos(phi), at::sin(phi)}, 1);
            case Kind::Wrap: return at::cat({at::cos(lam), at::sin(lam), at::cos(phi), at::sin(phi)}, 1);
            default: throw std::logic_error("not a fixed-width encoding");
        }
    }

    at::Tensor multiscale(const Radians& r) const {
        const int64_t n = r.lam.size(0);
        const auto f64 = at::TensorOptions().dtype(at::kDouble);
        const at::Tensor w = at::tensor(omega_, f64).to(r.lam.device()).unsqueeze(0);  // (1, F)
        const at::Tensor L = r.lam * w, P = r.phi * w;  // (n, F) scaled angles
        if (info_.kind == Kind::Grid)
            return at::cat({per_scale({at::sin(L), at::cos(L)}, 1), per_scale({at::sin(P), at::cos(P)}, 1)}, 1);
        if (info_.kind == Kind::Theory) {
            const double h = std::sqrt(3.0) / 2.0;
            const at::Tensor a1 = L, a2 = -0.5 * L + h * P, a3 = -0.5 * L - h * P;
            return per_scale({at::sin(a1), at::cos(a1), at::sin(a2), at::cos(a2), at::sin(a3), at::cos(a3)}, 1);
        }
        // Sphere2Vec family: every feature twice, as the reference's dims require.
        const at::Tensor sP = at::sin(P), cP = at::cos(P), sL = at::sin(L), cL = at::cos(L);
        const auto full = [n, F = w.size(1)](const at::Tensor& t) { return t.expand({n, F}); };
        switch (info_.kind) {
            case Kind::SphereC: return per_scale({sP, cP * cL, cP * sL}, 2);
            case Kind::SphereCPlus: return per_scale({sP, cP, sL, cL, cP * cL, cP * sL}, 2);
            case Kind::SphereM:
            case Kind::SphereMPlus: {
                const at::Tensor clam = full(at::cos(r.lam)), slam = full(at::sin(r.lam)),
                                 cphi = full(at::cos(r.phi));
                if (info_.kind == Kind::SphereM)
                    return per_scale({sP, cP * clam, cphi * cL, cP * slam, cphi * sL}, 2);
                return per_scale({sP, cP, sL, cL, cP * clam, cphi * cL, cP * slam, cphi * sL}, 2);
            }
            default: throw std::logic_error("not a multi-scale encoding");
        }
    }

    KindInfo info_;
    int frequencies_ = 0;
    double min_radius_ = 0, max_radius_ = 0;  // degrees, as given
    std::vector<double> omega_;               // per-radian angular frequencies, finest first
};

}  // namespace

const std::vector<std::string>& sinusoidal_kinds() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& k : kKinds) v.push_back(k.name);
        return v;
    }();
    return names;
}

std::unique_ptr<PositionalEncoding> make_sinusoidal_encoding(const ModelSpec& spec) {
    const KindInfo* info = find_kind(spec.kind);
    if (!info) throw UsageError("--model " + spec.kind + ": not a sinusoidal positional encoding");
    return std::make_unique<SinusoidalEncoding>(*info, spec);
}

}  // namespace geoenc
