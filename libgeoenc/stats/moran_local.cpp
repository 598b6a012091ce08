#include "stats/moran_local.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/errors.h"
#include "stats/normal.h"
#include "stats/parallel.h"
#include "stats/random.h"
#include "stats/weights_transform.h"

namespace geoenc::stats {

namespace {

// The simulation's view of W: for each site its non-self, non-zero weights.
struct OtherWeights {
    std::vector<std::int64_t> offsets;
    std::vector<double> values;
};

OtherWeights other_weights(const SpatialWeights& w) {
    OtherWeights o;
    o.offsets.assign(static_cast<std::size_t>(w.n) + 1, 0);
    o.values.reserve(w.values.size());
    for (std::int64_t i = 0; i < w.n; ++i) {
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e)
            if (w.neighbors[e] != i && w.values[e] != 0.0) o.values.push_back(w.values[e]);
        o.offsets[i + 1] = static_cast<std::int64_t>(o.values.size());
    }
    return o;
}

// Per-thread state for drawing k distinct indices from [0, m) by partial
// Fisher-Yates (used when k is a large share of m).
struct Shuffler {
    std::vector<std::uint32_t> perm;
    void init(std::uint32_t m) {
        if (perm.size() != m) {
            perm.resize(m);
            std::iota(perm.begin(), perm.end(), 0u);
        }
    }
};

}  // namespace

Alternative parse_alternative(const std::string& name) {
    if (name == "directed") return Alternative::directed;
    if (name == "two-sided" || name == "two_sided") return Alternative::two_sided;
    if (name == "greater") return Alternative::greater;
    if (name == "lesser") return Alternative::lesser;
    throw UsageError("unknown alternative '" + name + "' (use directed, two-sided, greater or lesser)");
}

Correction parse_correction(const std::string& name) {
    if (name == "none") return Correction::none;
    if (name == "bonferroni") return Correction::bonferroni;
    if (name == "fdr") return Correction::fdr;
    throw UsageError("unknown correction '" + name + "' (use none, bonferroni or fdr)");
}

std::vector<double> LocalMoranResult::p_sim(Alternative alternative) const {
    std::vector<double> p(n_ge.size());
    const double P = permutations;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double ge = n_ge[i], le = n_le[i];
        switch (alternative) {
            case Alternative::directed: p[i] = (std::min(ge, P - ge) + 1.0) / (P + 1.0); break;
            case Alternative::two_sided: p[i] = std::min(2.0 * (std::min(ge, le) + 1.0) / (P + 1.0), 1.0); break;
            case Alternative::greater: p[i] = (ge + 1.0) / (P + 1.0); break;
            case Alternative::lesser: p[i] = (le + 1.0) / (P + 1.0); break;
        }
    }
    return p;
}

LocalMoranResult moran_local(const std::vector<double>& y, const SpatialWeights& w, const PermutationOptions& o,
                             double island_weight) {
    validate(w);
    if (static_cast<std::int64_t>(y.size()) != w.n)
        throw DataError("local Moran's I: " + std::to_string(y.size()) + " values but " + std::to_string(w.n) +
                        " observations in the weights");
    if (w.n < 3) throw DataError("local Moran's I: needs at least 3 observations");
    if (w.n - 1 > static_cast<std::int64_t>(UINT32_MAX)) throw DataError("local Moran's I: too many observations");
    if (o.permutations < 0) throw UsageError("permutations must not be negative");
    for (std::size_t i = 0; i < y.size(); ++i)
        if (!std::isfinite(y[i]))
            throw DataError("local Moran's I: value " + std::to_string(i) + " is not a finite number");

    LocalMoranResult r;
    const std::int64_t n = w.n;
    const double nd = static_cast<double>(n);
    r.n = n;
    r.islands = w.islands();
    const double mean = std::accumulate(y.begin(), y.end(), 0.0) / nd;
    double ss = 0;
    for (double v : y) ss += (v - mean) * (v - mean);
    const double sd = std::sqrt(ss / nd);
    if (!(sd > 0)) throw DataError("local Moran's I: the variable is constant");
    r.z.resize(n);
    for (std::int64_t i = 0; i < n; ++i) r.z[i] = (y[i] - mean) / sd;
    double den = 0, z4 = 0;
    for (double v : r.z) {
        den += v * v;
        z4 += v * v * v * v;
    }
    r.lag.resize(n);
    spatial_lag(w, r.z.data(), r.lag.data());
    r.Is.resize(n);
    r.q.resize(n);
    const double n_1 = nd - 1.0;
    for (std::int64_t i = 0; i < n; ++i) {
        r.Is[i] = n_1 * r.z[i] * r.lag[i] / den;
        const bool zp = r.z[i] > 0, lp = r.lag[i] > 0;
        r.q[i] = zp ? (lp ? 1 : 4) : (lp ? 2 : 3);
    }

    // analytic moments
    const double m2 = den / nd, b2 = (z4 / nd) / (m2 * m2);
    r.EI.resize(n);
    r.VI.resize(n);
    r.EIc.resize(n);
    r.VIc.resize(n);
    for (std::int64_t i = 0; i < n; ++i) {
        double wi = 0, wi2 = 0;
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) {
            wi += w.values[e];
            wi2 += w.values[e] * w.values[e];
        }
        const double wikh = wi * wi - wi2;
        const double zi2 = r.z[i] * r.z[i];
        r.EI[i] = -wi / (nd - 1);
        r.VI[i] = wi2 * (nd - b2) / (nd - 1) + wikh * (2 * b2 - nd) / ((nd - 1) * (nd - 2)) -
                  wi * wi / ((nd - 1) * (nd - 1));
        r.EIc[i] = -(zi2 * wi) / ((nd - 1) * m2);
        r.VIc[i] = (r.z[i] / m2) * (r.z[i] / m2) * (nd / (nd - 2)) * (wi2 - (wi * wi / (nd - 1))) *
                   (m2 - (zi2 / (nd - 1)));
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

    const OtherWeights ow = other_weights(w);
    const double scaling = n_1 / den;
    const auto m = static_cast<std::uint32_t>(n - 1);  // draw among the n - 1 other sites
    const int nt = resolve_threads(o.threads);
    std::vector<Shuffler> shufflers(static_cast<std::size_t>(nt));
    const double* z = r.z.data();

    parallel_blocks(n, 256, nt, [&](std::int64_t begin, std::int64_t end, int t) {
        std::vector<std::uint32_t> drawn;
        std::vector<double> island_w{island_weight};
        for (std::int64_t i = begin; i < end; ++i) {
            const auto ui = static_cast<std::uint32_t>(i);
            std::int64_t k = ow.offsets[i + 1] - ow.offsets[i];
            const double* wv = ow.values.data() + ow.offsets[i];
            if (k == 0) {  // esda: an island gets one fake neighbour of weight island_weight
                k = 1;
                wv = island_w.data();
            }
            if (k > static_cast<std::int64_t>(m))
                throw DataError("local Moran's I: observation " + std::to_string(i) + " has more neighbours than others");
            const auto kk = static_cast<std::size_t>(k);
            drawn.resize(kk);
            StreamRng rng(o.seed, static_cast<std::uint64_t>(i));
            const bool rejection = kk <= 32 && kk * 8 <= m;
            if (!rejection) shufflers[t].init(m);
            const double zi = z[i];
            const double observed = r.Is[i];
            std::int32_t ge = 0, le = 0;
            double shift = 0, sum = 0, sum2 = 0;
            double* keep = o.keep_simulations ? r.sim.data() + static_cast<std::size_t>(i) * P : nullptr;
            for (int p = 0; p < P; ++p) {
                double acc = 0;
                if (rejection) {
                    std::uint64_t bits = 0;
                    int have = 0;
                    for (std::size_t a = 0; a < kk;) {
                        if (have == 0) {
                            bits = rng.next();
                            have = 2;
                        }
                        const auto r32 = static_cast<std::uint32_t>(bits);
                        bits >>= 32;
                        --have;
                        std::uint32_t c = StreamRng::bounded32(r32, m);
                        c += c >= ui;  // skip site i itself
                        bool dup = false;
                        for (std::size_t b = 0; b < a; ++b) dup |= drawn[b] == c;
                        if (dup) continue;
                        drawn[a] = c;
                        acc += wv[a] * z[c];
                        ++a;
                    }
                } else {
                    auto& perm = shufflers[t].perm;
                    for (std::size_t a = 0; a < kk; ++a) {
                        const auto j = a + static_cast<std::size_t>(rng.bounded64(m - a));
                        std::swap(perm[a], perm[j]);
                        std::uint32_t c = perm[a];
                        c += c >= ui;
                        drawn[a] = static_cast<std::uint32_t>(j);  // remember the swap to undo it
                        acc += wv[a] * z[c];
                    }
                    for (std::size_t a = kk; a-- > 0;) std::swap(perm[a], perm[drawn[a]]);
                }
                const double s = zi * acc * scaling;
                ge += s >= observed;
                le += s <= observed;
                if (p == 0) shift = s;
                const double d = s - shift;
                sum += d;
                sum2 += d * d;
                if (keep) keep[p] = s;
            }
            r.n_ge[i] = ge;
            r.n_le[i] = le;
            const double mean_d = sum / P;
            const double var = std::max(0.0, sum2 / P - mean_d * mean_d);
            r.EI_sim[i] = shift + mean_d;
            r.seI_sim[i] = std::sqrt(var);
            r.z_sim[i] = (observed - r.EI_sim[i]) / r.seI_sim[i];
            r.p_z_sim[i] = esda_p_abs(r.z_sim[i]);
        }
    });
    return r;
}

double significance_threshold(const std::vector<double>& p, double alpha, Correction correction) {
    if (!(alpha > 0 && alpha < 1)) throw UsageError("alpha must be between 0 and 1");
    const double n = static_cast<double>(p.size());
    switch (correction) {
        case Correction::none: return alpha;
        case Correction::bonferroni: return alpha / n;
        case Correction::fdr: {
            // esda.fdr: sort descending; the first p_(k) < k alpha / n gives k alpha / n
            std::vector<double> sorted(p);
            std::sort(sorted.begin(), sorted.end(), std::greater<double>());
            for (std::size_t a = 0; a < sorted.size(); ++a) {
                const double bound = (n - static_cast<double>(a)) * alpha / n;
                if (sorted[a] < bound) return bound;
            }
            return 0.0;
        }
    }
    return alpha;
}

std::vector<std::int8_t> cluster_labels(const LocalMoranResult& r, const std::vector<double>& p, double alpha,
                                        Correction correction) {
    if (p.size() != r.q.size()) throw UsageError("cluster labels: p-values and sites differ in number");
    const double threshold = significance_threshold(p, alpha, correction);
    std::vector<std::int8_t> labels(p.size(), 0);
    for (std::size_t i = 0; i < p.size(); ++i)
        if (p[i] < threshold) labels[i] = r.q[i];
    for (auto i : r.islands) labels[i] = 0;
    return labels;
}

const char* cluster_name(int label) {
    static const char* names[] = {"ns", "HH", "LH", "LL", "HL"};
    return label >= 0 && label <= 4 ? names[label] : "?";
}

}  // namespace geoenc::stats
