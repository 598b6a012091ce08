#include "core/spherical_harmonics_tensor.h"

#include <vector>

#include "core/errors.h"
#include "core/spherical_harmonics_detail.h"

namespace geoenc {

at::Tensor spherical_harmonics_tensor(const at::Tensor& lon_deg, const at::Tensor& lat_deg, int L,
                                      ShConvention conv, at::ScalarType dtype) {
    if (L < 1 || L > kMaxShDegree)
        throw UsageError("spherical harmonics: L must be in 1.." + std::to_string(kMaxShDegree));
    const ShRecurrence& rec = ShRecurrence::get(L, conv);
    const auto f64 = lon_deg.options().dtype(at::kDouble);
    const auto out_opts = lon_deg.options().dtype(dtype);
    const int64_t n = lon_deg.size(0);

    // Same angle arithmetic as angle_terms() in spherical_harmonics_detail.h.
    const at::Tensor lat = lat_deg.to(at::kDouble);
    const at::Tensor lon = lon_deg.to(at::kDouble);
    at::Tensor x, s, phi;
    if (conv == ShConvention::SatClip) {
        x = at::cos((lat + 90.0) * kDegToRad);
        s = at::sqrt(at::clamp_min((1.0 - x) * (1.0 + x), 0.0));
        phi = (lon + 180.0) * kDegToRad;
    } else {
        x = at::sin(lat * kDegToRad);
        s = at::cos(lat * kDegToRad);
        phi = lon * kDegToRad;
    }

    // Orders, trig tables and the diagonal P_m^m, all n x L; angles in float64.
    const at::Tensor m = at::arange(L, f64);
    const at::Tensor mphi = phi.unsqueeze(1) * m;
    const at::Tensor C = (at::cos(mphi) * kSqrt2).to(dtype);
    const at::Tensor S = (at::sin(mphi) * kSqrt2).to(dtype);
    std::vector<double> diag(rec.diag);
    diag[0] = 1.0;
    at::Tensor diag_t = at::tensor(diag, at::kDouble).to(lon_deg.device());
    at::Tensor factors = s.unsqueeze(1) * diag_t;
    factors.select(1, 0).fill_(1.0);
    const at::Tensor Pmm = (at::cumprod(factors.to(dtype), 1) * kY00);

    // Per-degree coefficient rows: P_l = A_l * x * P_{l-1} - B_l * P_{l-2}.
    std::vector<double> A(std::size_t(L) * L, 0.0), B(std::size_t(L) * L, 0.0);
    for (int l = 1; l < L; ++l) {
        for (int mm = 0; mm + 2 <= l; ++mm) {
            A[std::size_t(l) * L + mm] = rec.a(l, mm);
            B[std::size_t(l) * L + mm] = rec.a(l, mm) * rec.b(l, mm);
        }
        A[std::size_t(l) * L + (l - 1)] = rec.first[l - 1];
    }
    const at::Tensor At = at::tensor(A, at::kDouble).view({L, L}).to(out_opts);
    const at::Tensor Bt = at::tensor(B, at::kDouble).view({L, L}).to(out_opts);

    const at::Tensor xc = x.to(dtype).unsqueeze(1);
    at::Tensor out = at::empty({n, int64_t(L) * L}, out_opts);
    at::Tensor p_prev2 = at::zeros({n, L}, out_opts);
    at::Tensor p_prev1 = at::zeros({n, L}, out_opts);
    for (int l = 0; l < L; ++l) {
        at::Tensor p = l == 0 ? at::zeros({n, L}, out_opts)
                              : At[l] * xc * p_prev1 - Bt[l] * p_prev2;
        p.select(1, l).copy_(Pmm.select(1, l));
        const int64_t centre = int64_t(l) * l + l;
        out.select(1, centre).copy_(p.select(1, 0) * rec.m0_scale);
        if (l > 0) {
            const at::Tensor pl = p.narrow(1, 1, l);
            out.narrow(1, centre + 1, l).copy_(pl * C.narrow(1, 1, l));
            out.narrow(1, int64_t(l) * l, l).copy_((pl * S.narrow(1, 1, l)).flip({1}));
        }
        p_prev2 = p_prev1;
        p_prev1 = p;
    }
    return out;
}

}  // namespace geoenc
