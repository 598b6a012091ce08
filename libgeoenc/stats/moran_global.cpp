#include "stats/moran_global.h"

#include <cmath>
#include <numeric>

#include "core/errors.h"
#include "stats/normal.h"
#include "core/parallel_blocks.h"
#include "stats/random.h"
#include "stats/weights_transform.h"

namespace geoenc::stats {

namespace {

void check_inputs(std::size_t n_values, const SpatialWeights& w, const char* what) {
    validate(w);
    if (static_cast<std::int64_t>(n_values) != w.n)
        throw DataError(std::string(what) + ": " + std::to_string(n_values) + " values but " + std::to_string(w.n) +
                        " observations in the weights");
    if (w.n < 4) throw DataError(std::string(what) + ": needs at least 4 observations");
    for (std::size_t i = 0; i < n_values; ++i) (void)i;
}

void check_finite(const std::vector<double>& y, const char* what) {
    for (std::size_t i = 0; i < y.size(); ++i)
        if (!std::isfinite(y[i]))
            throw DataError(std::string(what) + ": value " + std::to_string(i) + " is not a finite number");
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

// Runs `stat(permuted values)` for each permutation of `values`; permutation p
// shuffles with its own stream (seed, p), so the set of results does not
// depend on threads.
template <class Stat>
std::vector<double> simulate(const std::vector<double>& values, const PermutationOptions& o, Stat&& stat) {
    std::vector<double> sim(static_cast<std::size_t>(o.permutations));
    const int nt = resolve_threads(o.threads);
    std::vector<std::vector<double>> scratch(static_cast<std::size_t>(nt), values);
    parallel_blocks(o.permutations, 8, nt, [&](std::int64_t, std::int64_t begin, std::int64_t end, int t) {
        auto& buf = scratch[t];
        for (std::int64_t p = begin; p < end; ++p) {
            std::copy(values.begin(), values.end(), buf.begin());
            StreamRng rng(o.seed, static_cast<std::uint64_t>(p));
            for (std::size_t i = buf.size() - 1; i > 0; --i) std::swap(buf[i], buf[rng.bounded64(i + 1)]);
            sim[p] = stat(buf);
        }
    });
    return sim;
}

// esda's summaries of a simulated distribution; one_tailed_by_sign selects
// Moran's p_z_sim (tail by sign) over Geary's (1 - cdf(|z|)).
PermutationSummary summarise(double observed, std::vector<double> sim, const PermutationOptions& o,
                             bool one_tailed_by_sign) {
    PermutationSummary s;
    s.permutations = o.permutations;
    const auto P = static_cast<double>(o.permutations);
    long long larger = 0;
    for (double v : sim) larger += v >= observed;
    if (o.permutations - larger < larger) larger = o.permutations - larger;
    s.p_sim = (double(larger) + 1.0) / (P + 1.0);
    s.E_sim = std::accumulate(sim.begin(), sim.end(), 0.0) / P;
    double ss = 0;
    for (double v : sim) ss += (v - s.E_sim) * (v - s.E_sim);
    s.V_sim = ss / P;
    s.se_sim = std::sqrt(s.V_sim);
    s.z_sim = (observed - s.E_sim) / s.se_sim;
    s.p_z_sim = one_tailed_by_sign ? esda_p_value(s.z_sim, false) : esda_p_abs(s.z_sim);
    if (o.keep_simulations) s.sim = std::move(sim);
    return s;
}

}  // namespace

MoranResult moran(const std::vector<double>& y, const SpatialWeights& w, const PermutationOptions& o, bool two_tailed) {
    check_inputs(y.size(), w, "Moran's I");
    check_finite(y, "Moran's I");
    if (o.permutations < 0) throw UsageError("permutations must not be negative");
    MoranResult r;
    const auto n = static_cast<double>(w.n);
    r.n = w.n;
    const auto sums = weight_sums(w);
    r.s0 = sums.s0;
    r.s1 = sums.s1;
    r.s2 = sums.s2;
    const double m = mean(y);
    std::vector<double> z(y.size());
    double z2ss = 0, z4 = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        z[i] = y[i] - m;
        z2ss += z[i] * z[i];
        z4 += z[i] * z[i] * z[i] * z[i];
    }
    if (!(z2ss > 0)) throw DataError("Moran's I: the variable is constant");
    r.EI = -1.0 / (n - 1);
    const double n2 = n * n, s02 = r.s0 * r.s0;
    r.VI_norm = (n2 * r.s1 - n * r.s2 + 3 * s02) / ((n - 1) * (n + 1) * s02) - (1.0 / (n - 1)) * (1.0 / (n - 1));
    r.seI_norm = std::sqrt(r.VI_norm);
    const double k = (z4 / n) / ((z2ss / n) * (z2ss / n));
    const double A = n * ((n2 - 3 * n + 3) * r.s1 - n * r.s2 + 3 * s02);
    const double B = k * ((n2 - n) * r.s1 - 2 * n * r.s2 + 6 * s02);
    r.VI_rand = (A - B) / ((n - 1) * (n - 2) * (n - 3) * s02) - r.EI * r.EI;
    r.seI_rand = std::sqrt(r.VI_rand);

    const double scale = n / r.s0 / z2ss;
    auto calc = [&w, scale](const std::vector<double>& v) {
        double inum = 0;
        for (std::int64_t i = 0; i < w.n; ++i) {
            double lag = 0;
            for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) lag += w.values[e] * v[w.neighbors[e]];
            inum += v[i] * lag;
        }
        return scale * inum;
    };
    r.I = calc(z);
    r.z_norm = (r.I - r.EI) / r.seI_norm;
    r.z_rand = (r.I - r.EI) / r.seI_rand;
    r.two_tailed = two_tailed;
    // esda picks the tail of both by the sign of z_norm
    r.p_norm = normal_sf(r.z_norm > 0 ? r.z_norm : -r.z_norm);
    r.p_rand = normal_sf(r.z_norm > 0 ? r.z_rand : -r.z_rand);
    if (two_tailed) {
        r.p_norm *= 2.0;
        r.p_rand *= 2.0;
    }
    if (o.permutations > 0) r.perm = summarise(r.I, simulate(z, o, calc), o, true);
    return r;
}

GearyResult geary(const std::vector<double>& y, const SpatialWeights& w, const PermutationOptions& o) {
    check_inputs(y.size(), w, "Geary's C");
    check_finite(y, "Geary's C");
    if (o.permutations < 0) throw UsageError("permutations must not be negative");
    GearyResult r;
    const auto n = static_cast<double>(w.n);
    r.n = w.n;
    const auto sums = weight_sums(w);
    const double s0 = sums.s0, s1 = sums.s1, s2 = sums.s2, s02 = s0 * s0;
    const double m = mean(y);
    double yss = 0, y4 = 0;
    for (double v : y) {
        const double d = v - m;
        yss += d * d;
        y4 += d * d * d * d;
    }
    if (!(yss > 0)) throw DataError("Geary's C: the variable is constant");
    const double n2 = n * n;
    const double k = (y4 / n) / ((yss / n) * (yss / n));
    const double A = (n - 1) * s1 * (n2 - 3 * n + 3 - (n - 1) * k);
    const double B = (1.0 / 4) * ((n - 1) * s2 * (n2 + 3 * n - 6 - (n2 - n + 2) * k));
    const double C = s02 * (n2 - 3 - (n - 1) * (n - 1) * k);
    r.VC_rand = (A - B + C) / (n * (n - 2) * (n - 3) * s02);
    r.VC_norm = (1 / (2 * (n + 1) * s02)) * ((2 * s1 + s2) * (n - 1) - 4 * s02);
    r.seC_rand = std::sqrt(r.VC_rand);
    r.seC_norm = std::sqrt(r.VC_norm);
    const double den = yss * s0 * 2.0;
    auto calc = [&w, den, n](const std::vector<double>& v) {
        double num = 0;
        for (std::int64_t i = 0; i < w.n; ++i)
            for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) {
                const double d = v[i] - v[w.neighbors[e]];
                num += w.values[e] * d * d;
            }
        return (n - 1) * num / den;
    };
    r.C = calc(y);
    const double de = r.C - 1.0;
    r.z_norm = de / r.seC_norm;
    r.z_rand = de / r.seC_rand;
    r.p_norm = normal_sf(de > 0 ? r.z_norm : -r.z_norm);
    r.p_rand = normal_sf(de > 0 ? r.z_rand : -r.z_rand);
    if (o.permutations > 0) r.perm = summarise(r.C, simulate(y, o, calc), o, false);
    return r;
}

MoranBVResult moran_bv(const std::vector<double>& x, const std::vector<double>& y, const SpatialWeights& w,
                       const PermutationOptions& o) {
    check_inputs(x.size(), w, "bivariate Moran's I");
    check_inputs(y.size(), w, "bivariate Moran's I");
    check_finite(x, "bivariate Moran's I");
    check_finite(y, "bivariate Moran's I");
    if (o.permutations < 0) throw UsageError("permutations must not be negative");
    const auto n = static_cast<double>(w.n);
    auto standardise = [n](const std::vector<double>& v) {
        const double m = mean(v);
        double ss = 0;
        for (double a : v) ss += (a - m) * (a - m);
        const double sd = std::sqrt(ss / (n - 1));
        if (!(sd > 0)) throw DataError("bivariate Moran's I: a variable is constant");
        std::vector<double> z(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) z[i] = (v[i] - m) / sd;
        return z;
    };
    const auto zx = standardise(x);
    const auto zy = standardise(y);
    auto calc = [&w, &zx, n](const std::vector<double>& v) {
        double num = 0;
        for (std::int64_t i = 0; i < w.n; ++i) {
            double lag = 0;
            for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) lag += w.values[e] * v[w.neighbors[e]];
            num += zx[i] * lag;
        }
        return num / (n - 1.0);
    };
    MoranBVResult r;
    r.n = w.n;
    r.I = calc(zy);
    if (o.permutations > 0) r.perm = summarise(r.I, simulate(zy, o, calc), o, true);
    return r;
}

}  // namespace geoenc::stats
