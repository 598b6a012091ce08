#pragma once
// Normal tail probabilities for esda's p-values. The reference values (esda
// with current SciPy) carry the full relative precision of the upper tail
// (1 - cdf(z) = 0.5 erfc(z / sqrt 2) without cancellation), so we compute
// tails that way too.
#include <cmath>

namespace geoenc::stats {

inline double normal_cdf(double x) {
    const double t = x * M_SQRT1_2;
    const double a = std::fabs(t);
    if (a < M_SQRT1_2) return 0.5 + 0.5 * std::erf(t);
    const double y = 0.5 * std::erfc(a);
    return x > 0 ? 1.0 - y : y;
}

// Upper tail 1 - cdf(z), accurate for large z.
inline double normal_sf(double z) { return 0.5 * std::erfc(z * M_SQRT1_2); }

// esda's analytic p: one tail chosen by the sign of z, doubled when two-tailed.
inline double esda_p_value(double z, bool two_tailed) {
    const double p = normal_sf(std::fabs(z));
    return two_tailed ? 2.0 * p : p;
}

// esda's p_z_sim for local statistics and Geary: 1 - cdf(|z|).
inline double esda_p_abs(double z) { return normal_sf(std::fabs(z)); }

}  // namespace geoenc::stats
