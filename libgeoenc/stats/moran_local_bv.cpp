#include "stats/moran_local_bv.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/errors.h"
#include "stats/weights_transform.h"

namespace geoenc::stats {

namespace {

std::vector<double> standardised(const std::vector<double>& v, const char* what) {
    const double n = static_cast<double>(v.size());
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
    double ss = 0;
    for (double a : v) ss += (a - mean) * (a - mean);
    const double sd = std::sqrt(ss / n);
    if (!(sd > 0)) throw DataError(std::string("bivariate local Moran's I: ") + what + " is constant");
    std::vector<double> z(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) z[i] = (v[i] - mean) / sd;
    return z;
}

}  // namespace

LocalMoranResult moran_local_bv(const std::vector<double>& x, const std::vector<double>& y, const SpatialWeights& w,
                                const PermutationOptions& o, double island_weight, LocalPermutationEngine engine) {
    validate(w);
    if (static_cast<std::int64_t>(x.size()) != w.n || static_cast<std::int64_t>(y.size()) != w.n)
        throw DataError("bivariate local Moran's I: " + std::to_string(x.size()) + " x and " +
                        std::to_string(y.size()) + " y values but " + std::to_string(w.n) +
                        " observations in the weights");
    if (w.n < 3) throw DataError("bivariate local Moran's I: needs at least 3 observations");
    if (w.n - 1 >= (std::int64_t{1} << 31)) throw DataError("bivariate local Moran's I: too many observations");
    if (o.permutations < 0) throw UsageError("permutations must not be negative");
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
            throw DataError("bivariate local Moran's I: value " + std::to_string(i) + " is not a finite number");

    LocalMoranResult r;
    const std::int64_t n = w.n;
    const double n_1 = static_cast<double>(n) - 1.0;
    r.n = n;
    r.islands = w.islands();
    r.z = standardised(x, "x");
    const std::vector<double> zy = standardised(y, "y");
    double den = 0;
    for (double v : r.z) den += v * v;
    r.lag.resize(n);
    spatial_lag(w, zy.data(), r.lag.data());
    r.Is.resize(n);
    r.q.resize(n);
    for (std::int64_t i = 0; i < n; ++i) {
        r.Is[i] = n_1 * r.z[i] * r.lag[i] / den;
        const bool zp = r.z[i] > 0, lp = r.lag[i] > 0;
        r.q[i] = zp ? (lp ? 1 : 4) : (lp ? 2 : 3);
    }
    if (o.permutations == 0) return r;

    // esda's _moran_local_bv_crand: zx_i (W zy)_i with the other sites' zy drawn
    // and the self weight held fixed; shift: the simulated values' mean
    std::vector<double> zi_scaled(n), shift(n);
    const double scaling = n_1 / den;
    for (std::int64_t i = 0; i < n; ++i) {
        zi_scaled[i] = r.z[i] * scaling;
        double self = 0, others = 0;
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) (w.neighbors[e] == i ? self : others) += w.values[e];
        shift[i] = zi_scaled[i] * (self * zy[i] - others * zy[i] / n_1);
    }
    local_permutation_inference(w, zy, zi_scaled, shift, o, island_weight, engine, r);
    return r;
}

}  // namespace geoenc::stats
