#pragma once
// Real spherical harmonics of geographic locations, evaluated by the stable
// normalised associated-Legendre recurrence (no closed-form polynomials, so no
// cancellation at high degree and no overflow in float32).
//
// Output layout: row-major n x L*L, feature index l*l + l + m for l in [0, L),
// m in [-l, l]; m > 0 uses cos(m phi), m < 0 uses sin(|m| phi).
#include <cstddef>
#include <string>

namespace geoenc {

enum class ShConvention {
    // SatCLIP's: phi = lon + 180 deg, theta measured from the SOUTH pole
    // (cos theta = -sin lat), no Condon-Shortley phase, and m = 0 terms scaled
    // by pi (upstream wrote (2l+1)/4*pi for (2l+1)/(4*pi); the released weights
    // were trained with it).
    SatClip,
    // Textbook real orthonormal harmonics: theta = colatitude from the north
    // pole, phi = longitude, no Condon-Shortley phase in the real form.
    Orthonormal,
};

ShConvention parse_sh_convention(const std::string& text);  // throws UsageError
const char* to_string(ShConvention c);

constexpr int kMaxShDegree = 1000;

// CPU kernel, vectorised across points and threaded over chunks of points.
// lon/lat in degrees. Writes n * L * L values to out.
void spherical_harmonics(const double* lon, const double* lat, std::size_t n, int L,
                         ShConvention conv, float* out);
void spherical_harmonics(const double* lon, const double* lat, std::size_t n, int L,
                         ShConvention conv, double* out);

// Mixed precision: the recurrence (and everything else) in float64 as in the
// double overload, each value rounded once to float32 on its way out. Equal to
// float(the float64 kernel's output) bit for bit, except that results below
// FLT_MIN (float32 subnormals) are written as zero. Accurate to float64 level
// (the float32 recurrence drifts to ~1e-4 at L=40 near the poles) and faster
// than the float64 kernel, as it writes half the bytes.
void spherical_harmonics_f64_to_f32(const double* lon, const double* lat, std::size_t n, int L,
                                    ShConvention conv, float* out);

}  // namespace geoenc
