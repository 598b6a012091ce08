#pragma once
// The standard normal CDF as scipy.special.ndtr computes it, so that p-values
// written as esda writes them (1 - cdf(z), cdf(z)) round the same way.
#include <cmath>

namespace geoenc::stats {

inline double normal_cdf(double x) {
    const double t = x * M_SQRT1_2;
    const double a = std::fabs(t);
    if (a < M_SQRT1_2) return 0.5 + 0.5 * std::erf(t);
    const double y = 0.5 * std::erfc(a);
    return x > 0 ? 1.0 - y : y;
}

// esda's analytic p: one tail chosen by the sign of z, doubled when two-tailed.
inline double esda_p_value(double z, bool two_tailed) {
    const double p = z > 0 ? 1.0 - normal_cdf(z) : normal_cdf(z);
    return two_tailed ? 2.0 * p : p;
}

// esda's p_z_sim for local statistics: 1 - cdf(|z|).
inline double esda_p_abs(double z) { return 1.0 - normal_cdf(std::fabs(z)); }

}  // namespace geoenc::stats
