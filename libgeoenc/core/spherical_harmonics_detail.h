#pragma once
// Shared between the CPU kernel and the tensor (CUDA-capable) path: angle
// conventions and the recurrence coefficients of the orthonormal associated
// Legendre functions,
//   P_0^0 = 1/sqrt(4 pi)
//   P_m^m = sqrt((2m+1)/(2m)) sin(theta) P_{m-1}^{m-1}
//   P_{m+1}^m = sqrt(2m+3) cos(theta) P_m^m
//   P_l^m = a_lm (cos(theta) P_{l-1}^m - b_lm P_{l-2}^m),
//   a_lm = sqrt((4l^2-1)/(l^2-m^2)),  b_lm = sqrt(((l-1)^2-m^2)/(4(l-1)^2-1)).
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/spherical_harmonics.h"

namespace geoenc {

constexpr double kPi = 3.14159265358979323846;
constexpr double kSqrt2 = 1.41421356237309504880;
constexpr double kY00 = 0.28209479177387814347;  // 1 / sqrt(4 pi)
constexpr double kDegToRad = kPi / 180.0;

struct AngleTerms {
    double x;    // cos(theta)
    double s;    // sin(theta) >= 0
    double phi;  // azimuth in radians
};

inline AngleTerms angle_terms(ShConvention conv, double lon_deg, double lat_deg) {
    if (conv == ShConvention::SatClip) {
        // Exactly upstream's arithmetic: theta = radians(lat + 90), and sin(theta)
        // taken as sqrt(1 - cos^2). Within ~1e-6 deg of a pole that differs from
        // the analytic sine (by < 2e-7 in the features); the reference values
        // and the released weights follow upstream, so we do too.
        const double x = std::cos((lat_deg + 90.0) * kDegToRad);
        return {x, std::sqrt(std::max(0.0, (1.0 - x) * (1.0 + x))), (lon_deg + 180.0) * kDegToRad};
    }
    const double lat = lat_deg * kDegToRad;
    return {std::sin(lat), std::cos(lat), lon_deg * kDegToRad};
}

struct ShRecurrence {
    int L = 0;
    ShConvention conv = ShConvention::SatClip;
    double m0_scale = 1.0;
    std::vector<double> diag;   // [m]: sqrt((2m+1)/(2m)), m >= 1
    std::vector<double> first;  // [m]: sqrt(2m+3)
    std::vector<double> a_, b_;  // [l*L + m]

    double a(int l, int m) const { return a_[std::size_t(l) * L + m]; }
    double b(int l, int m) const { return b_[std::size_t(l) * L + m]; }

    ShRecurrence(int L_, ShConvention c) : L(L_), conv(c), diag(L_), first(L_), a_(std::size_t(L_) * L_), b_(std::size_t(L_) * L_) {
        m0_scale = c == ShConvention::SatClip ? kPi : 1.0;
        for (int m = 1; m < L; ++m) diag[m] = std::sqrt((2.0 * m + 1.0) / (2.0 * m));
        for (int m = 0; m < L; ++m) first[m] = std::sqrt(2.0 * m + 3.0);
        for (int l = 2; l < L; ++l)
            for (int m = 0; m + 2 <= l; ++m) {
                const double ll = double(l) * l, mm = double(m) * m, l1 = double(l - 1) * (l - 1);
                a_[std::size_t(l) * L + m] = std::sqrt((4.0 * ll - 1.0) / (ll - mm));
                b_[std::size_t(l) * L + m] = std::sqrt((l1 - mm) / (4.0 * l1 - 1.0));
            }
    }

    // Coefficients are cached per (L, convention): built once, shared read-only by all threads.
    static const ShRecurrence& get(int L, ShConvention conv);
};

}  // namespace geoenc
