#include "stats/moran_local_bv.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/errors.h"
#include "stats/normal.h"
#include "core/parallel_blocks.h"
#include "stats/random.h"
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
                                const PermutationOptions& o, double island_weight) {
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

    const int P = o.permutations;
    r.permutations = P;
    r.n_ge.assign(n, 0);
    r.n_le.assign(n, 0);
    r.EI_sim.assign(n, 0);
    r.seI_sim.assign(n, 0);
    r.z_sim.assign(n, 0);
    r.p_z_sim.assign(n, 0);
    if (o.keep_simulations) r.sim.assign(static_cast<std::size_t>(n) * P, 0.0);

    // Each site's non-self, non-zero weights, in row order.
    std::vector<std::int64_t> offsets(static_cast<std::size_t>(n) + 1, 0);
    std::vector<double> values;
    for (std::int64_t i = 0; i < n; ++i) {
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e)
            if (w.neighbors[e] != i && w.values[e] != 0.0) values.push_back(w.values[e]);
        offsets[i + 1] = static_cast<std::int64_t>(values.size());
    }
    const double scaling = n_1 / den;
    const auto m = static_cast<std::uint32_t>(n - 1);  // draws among the n - 1 other sites
    const int nt = resolve_threads(o.threads);
    const double* z = zy.data();

    parallel_blocks(n, 256, nt, [&](std::int64_t, std::int64_t begin, std::int64_t end, int) {
        // Partial Fisher-Yates over the other sites, undone after each permutation.
        std::vector<std::uint32_t> perm(m), swapped;
        std::iota(perm.begin(), perm.end(), 0u);
        const double island_w[1] = {island_weight};
        for (std::int64_t i = begin; i < end; ++i) {
            std::int64_t k = offsets[i + 1] - offsets[i];
            const double* wv = values.data() + offsets[i];
            if (k == 0) {  // esda: an island gets one fake neighbour of weight island_weight
                k = 1;
                wv = island_w;
            }
            if (k > static_cast<std::int64_t>(m))
                throw DataError("bivariate local Moran's I: observation " + std::to_string(i) +
                                " has more neighbours than others");
            const auto kk = static_cast<std::size_t>(k);
            const auto site = static_cast<std::uint32_t>(i);
            const double xi_scaled = r.z[i] * scaling, observed = r.Is[i];
            double* keep = o.keep_simulations ? r.sim.data() + static_cast<std::size_t>(i) * P : nullptr;
            WyRand rng(o.seed, site);
            swapped.resize(kk);
            std::int32_t ge = 0, le = 0;
            // sums around the observed value, so the sums of squares do not cancel
            double sum = 0, sum2 = 0;
            for (int p = 0; p < P; ++p) {
                double s = 0;
                for (std::size_t a = 0; a < kk; ++a) {
                    const auto j = a + static_cast<std::size_t>(
                                           (static_cast<unsigned __int128>(rng.next()) * (m - a)) >> 64);
                    std::swap(perm[a], perm[j]);
                    std::uint32_t c = perm[a];
                    c += c >= site;
                    swapped[a] = static_cast<std::uint32_t>(j);
                    s += wv[a] * z[c];
                }
                for (std::size_t a = kk; a-- > 0;) std::swap(perm[a], perm[swapped[a]]);
                s *= xi_scaled;
                ge += s >= observed;
                le += s <= observed;
                const double d = s - observed;
                sum += d;
                sum2 += d * d;
                if (keep) keep[p] = s;
            }
            r.n_ge[i] = ge;
            r.n_le[i] = le;
            const double mean_d = sum / P;
            r.EI_sim[i] = observed + mean_d;
            r.seI_sim[i] = std::sqrt(std::max(0.0, sum2 / P - mean_d * mean_d));
            r.z_sim[i] = (observed - r.EI_sim[i]) / r.seI_sim[i];
            r.p_z_sim[i] = esda_p_abs(r.z_sim[i]);
        }
    });
    return r;
}

}  // namespace geoenc::stats
