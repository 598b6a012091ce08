#include "ot/masses.h"

#include <cmath>
#include <stdexcept>

namespace geoenc::ot {

std::vector<double> uniform_masses(std::size_t n) {
    return std::vector<double>(n, n == 0 ? 0.0 : 1.0 / static_cast<double>(n));
}

namespace {
double total(const std::vector<double>& w) {
    double s = 0.0;
    for (double v : w) {
        if (!std::isfinite(v) || v < 0) throw std::invalid_argument("masses must be finite and non-negative");
        s += v;
    }
    return s;
}
}  // namespace

std::vector<double> normalise_masses(const std::vector<double>& w) {
    const double s = total(w);
    if (!(s > 0)) throw std::invalid_argument("masses sum to zero");
    std::vector<double> out(w.size());
    for (std::size_t i = 0; i < w.size(); ++i) out[i] = w[i] / s;
    return out;
}

bool totals_differ(const std::vector<double>& a, const std::vector<double>& b, double rel_tol) {
    const double sa = total(a), sb = total(b);
    return std::fabs(sa - sb) > rel_tol * std::max(std::fabs(sa), std::fabs(sb));
}

}  // namespace geoenc::ot
