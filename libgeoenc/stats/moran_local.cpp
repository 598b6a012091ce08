#include "stats/moran_local.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/errors.h"
#include "stats/normal.h"
#include "core/parallel_blocks.h"
#include "stats/random.h"
#include "stats/weights_transform.h"

namespace geoenc::stats {

namespace {

// The simulation's view of W into the task: for each site its non-self,
// non-zero weights, or for an island one fake neighbour of weight
// island_weight (esda), and its self weight times its own value.
void fill_other_weights(const SpatialWeights& w, const double* drawn, double island_weight,
                        LocalPermutationTask& task) {
    task.offsets.assign(static_cast<std::size_t>(w.n) + 1, 0);
    task.weights.clear();
    task.weights.reserve(w.values.size());
    task.self_lag.assign(static_cast<std::size_t>(w.n), 0.0);
    for (std::int64_t i = 0; i < w.n; ++i) {
        const std::size_t before = task.weights.size();
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) {
            if (w.neighbors[e] == i)
                task.self_lag[i] += w.values[e] * drawn[i];
            else if (w.values[e] != 0.0)
                task.weights.push_back(w.values[e]);
        }
        if (task.weights.size() == before) task.weights.push_back(island_weight);
        task.offsets[i + 1] = static_cast<std::int64_t>(task.weights.size());
        if (task.offsets[i + 1] - task.offsets[i] > w.n - 1)
            throw DataError("local Moran's I: observation " + std::to_string(i) + " has more neighbours than others");
    }
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


// Inputs of one site's conditional permutation test.
struct SiteTask {
    const double* z;        // all standardised values
    const double* weights;  // the site's k non-self weights
    std::uint32_t site;     // i (skipped when drawing)
    std::uint32_t m;        // n - 1: draws are uniform over the other sites
    double zi_scaled;       // z_i * (n - 1) / sum z^2
    double self_lag;        // w_ii z_i, held fixed
    double observed;        // Is_i
    int permutations;
    double* keep;           // permutations values, or null
    double shift;           // near the expected simulated value
};

struct SiteSums {
    std::int32_t ge = 0, le = 0;
    double shift = 0, sum = 0, sum2 = 0;
    // shift: a value near the mean (the analytic conditional mean), so that
    // the sums of squares do not cancel
    void add(double s, double observed) {
        ge += s >= observed;
        le += s <= observed;
        const double d = s - shift;
        sum += d;
        sum2 += d * d;
    }
};

// K distinct draws per permutation, K known at compile time: draw all K
// (two per 64 random bits), one branch-free check for repeats (rare when
// K << n; then redraw sequentially), then K independent gathers.
// True if two of the first K entries of d are equal or one equals `site`.
// d has room for a multiple of 4 entries; the padding holds distinct values
// >= 2^31 that no site index reaches (n < 2^31).
template <int K>
__attribute__((always_inline)) inline bool has_repeat(const std::uint32_t* d, std::uint32_t site) {
#if defined(__SSE2__)
    constexpr int V = (K + 3) / 4;
    __m128i v[V];
    // built from registers: a 128-bit load of four fresh 32-bit stores would
    // stall on store forwarding
    for (int a = 0; a < V; ++a)
        v[a] = _mm_set_epi32(static_cast<int>(d[4 * a + 3]), static_cast<int>(d[4 * a + 2]),
                             static_cast<int>(d[4 * a + 1]), static_cast<int>(d[4 * a]));
    const __m128i self = _mm_set1_epi32(static_cast<int>(site));
    __m128i eq = _mm_setzero_si128();
    for (int a = 0; a < V; ++a) {
        eq = _mm_or_si128(eq, _mm_cmpeq_epi32(v[a], self));
        // within a vector: rotations by 1 and 2 cover its 6 pairs
        eq = _mm_or_si128(eq, _mm_cmpeq_epi32(v[a], _mm_shuffle_epi32(v[a], _MM_SHUFFLE(0, 3, 2, 1))));
        eq = _mm_or_si128(eq, _mm_cmpeq_epi32(v[a], _mm_shuffle_epi32(v[a], _MM_SHUFFLE(1, 0, 3, 2))));
        for (int b = a + 1; b < V; ++b) {
            // across two vectors: all 4 rotations cover the 16 pairs
            eq = _mm_or_si128(eq, _mm_cmpeq_epi32(v[a], v[b]));
            eq = _mm_or_si128(eq, _mm_cmpeq_epi32(v[a], _mm_shuffle_epi32(v[b], _MM_SHUFFLE(0, 3, 2, 1))));
            eq = _mm_or_si128(eq, _mm_cmpeq_epi32(v[a], _mm_shuffle_epi32(v[b], _MM_SHUFFLE(1, 0, 3, 2))));
            eq = _mm_or_si128(eq, _mm_cmpeq_epi32(v[a], _mm_shuffle_epi32(v[b], _MM_SHUFFLE(2, 1, 0, 3))));
        }
    }
    return _mm_movemask_epi8(eq) != 0;
#else
    bool dup = false;
    for (int a = 0; a < K; ++a) {
        dup |= d[a] == site;
        for (int b = 0; b < a; ++b) dup |= d[a] == d[b];
    }
    return dup;
#endif
}

// K distinct draws per permutation, K known at compile time: draw all K
// uniformly over the n sites (two per 64 random bits), one branch-free check
// for repeats or site i itself (rare when K << n; then those positions are
// redrawn, which keeps the sample uniform over the K-subsets of the other
// sites), then K independent gathers.
template <int K>
SiteSums permute_site_fixed(const SiteTask& t, std::uint64_t seed) {
    WyRand rng(seed, t.site);
    SiteSums acc;
    acc.shift = t.shift;
    const std::uint64_t n = std::uint64_t{t.m} + 1;
    auto map = [n](std::uint32_t bits) {
        return static_cast<std::uint32_t>((static_cast<std::uint64_t>(bits) * n) >> 32);
    };
    constexpr int padded = (K + 3) / 4 * 4;
    alignas(16) std::uint32_t d[padded + 1];
    for (int a = 0; a <= padded; ++a) d[a] = 0xFFFFFFFFu - static_cast<std::uint32_t>(a);
    for (int p = 0; p < t.permutations; ++p) {
        for (int a = 0; a < K; a += 2) {
            const std::uint64_t r = rng.next();
            d[a] = map(static_cast<std::uint32_t>(r));
            if (a + 1 < K) d[a + 1] = map(static_cast<std::uint32_t>(r >> 32));
        }
        if (__builtin_expect(has_repeat<K>(d, t.site), 0)) {
            for (int a = 0; a < K; ++a) {
                bool bad = d[a] == t.site;
                for (int b = 0; b < a && !bad; ++b) bad = d[a] == d[b];
                if (bad) {
                    d[a] = map(static_cast<std::uint32_t>(rng.next()));
                    --a;  // check the new draw again
                }
            }
        }
        // pairwise sum: shorter dependency chains than a running sum
        double part[4] = {0, 0, 0, 0};
        for (int a = 0; a < K; ++a) part[a & 3] += t.weights[a] * t.z[d[a]];
        const double s = t.zi_scaled * (((part[0] + part[1]) + (part[2] + part[3])) + t.self_lag);
        acc.add(s, t.observed);
        if (t.keep) t.keep[p] = s;
    }
    return acc;
}

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
                             double island_weight, LocalPermutationEngine engine) {
    validate(w);
    if (static_cast<std::int64_t>(y.size()) != w.n)
        throw DataError("local Moran's I: " + std::to_string(y.size()) + " values but " + std::to_string(w.n) +
                        " observations in the weights");
    if (w.n < 3) throw DataError("local Moran's I: needs at least 3 observations");
    if (w.n - 1 >= (std::int64_t{1} << 31)) throw DataError("local Moran's I: too many observations");
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
    std::vector<double> zi_scaled(n), shift(n);
    const double scaling = n_1 / den;
    for (std::int64_t i = 0; i < n; ++i) {
        zi_scaled[i] = r.z[i] * scaling;
        // esda's Is is (n-1)/n times the moments' scale; the conditional mean
        // of the other neighbours' part, plus the fixed self term
        double self = 0;
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e)
            if (w.neighbors[e] == i) self += w.values[e];
        shift[i] = r.EIc[i] * n_1 / nd + zi_scaled[i] * self * r.z[i];
    }
    local_permutation_inference(w, r.z, zi_scaled, shift, o, island_weight, engine, r);
    return r;
}

void local_permutation_inference(const SpatialWeights& w, const std::vector<double>& drawn,
                                 const std::vector<double>& zi_scaled, const std::vector<double>& shift,
                                 const PermutationOptions& o, double island_weight, LocalPermutationEngine engine,
                                 LocalMoranResult& r) {
    const std::int64_t n = w.n;
    const int P = o.permutations;
    r.permutations = P;
    r.n_ge.assign(n, 0);
    r.n_le.assign(n, 0);
    r.EI_sim.assign(n, 0);
    r.seI_sim.assign(n, 0);
    r.z_sim.assign(n, 0);
    r.p_z_sim.assign(n, 0);
    if (o.keep_simulations) r.sim.assign(static_cast<std::size_t>(n) * P, 0.0);

    LocalPermutationTask task;
    task.n = n;
    task.z = drawn.data();
    fill_other_weights(w, drawn.data(), island_weight, task);
    task.zi_scaled = zi_scaled;
    task.observed = r.Is;
    task.shift = shift;
    task.permutations = P;
    task.seed = o.seed;
    task.threads = o.threads;
    task.keep = o.keep_simulations ? r.sim.data() : nullptr;
    LocalPermutationSums sums;
    engine(task, sums);
    const auto un = static_cast<std::size_t>(n);
    if (sums.ge.size() != un || sums.le.size() != un || sums.sum.size() != un || sums.sum2.size() != un)
        throw std::logic_error("local Moran's I: the permutation engine returned the wrong number of sites");
    for (std::int64_t i = 0; i < n; ++i) {
        r.n_ge[i] = sums.ge[i];
        r.n_le[i] = sums.le[i];
        const double mean_d = sums.sum[i] / P;
        const double var = std::max(0.0, sums.sum2[i] / P - mean_d * mean_d);
        r.EI_sim[i] = task.shift[i] + mean_d;
        r.seI_sim[i] = std::sqrt(var);
        r.z_sim[i] = (r.Is[i] - r.EI_sim[i]) / r.seI_sim[i];
        r.p_z_sim[i] = esda_p_abs(r.z_sim[i]);
    }
}

void cpu_local_permutations(const LocalPermutationTask& tk, LocalPermutationSums& sums) {
    const std::int64_t n = tk.n;
    const int P = tk.permutations;
    sums.ge.assign(n, 0);
    sums.le.assign(n, 0);
    sums.sum.assign(n, 0.0);
    sums.sum2.assign(n, 0.0);
    const auto m = static_cast<std::uint32_t>(n - 1);  // draw among the n - 1 other sites
    const int nt = resolve_threads(tk.threads);
    std::vector<Shuffler> shufflers(static_cast<std::size_t>(nt));
    const double* z = tk.z;

    parallel_blocks(n, 256, nt, [&](std::int64_t, std::int64_t begin, std::int64_t end, int t) {
        std::vector<std::uint32_t> drawn;
        for (std::int64_t i = begin; i < end; ++i) {
            const auto k = tk.offsets[i + 1] - tk.offsets[i];
            const double* wv = tk.weights.data() + tk.offsets[i];
            SiteTask task;
            task.z = z;
            task.weights = wv;
            task.site = static_cast<std::uint32_t>(i);
            task.m = m;
            task.zi_scaled = tk.zi_scaled[i];
            task.self_lag = tk.self_lag[i];
            task.observed = tk.observed[i];
            task.permutations = P;
            task.keep = tk.keep ? tk.keep + static_cast<std::size_t>(i) * P : nullptr;
            task.shift = tk.shift[i];
            const auto kk = static_cast<std::size_t>(k);
            SiteSums acc;
            acc.shift = task.shift;
            const bool rejection = kk * 8 <= m;
            if (rejection && kk <= 16) {
                switch (kk) {
                    case 1: acc = permute_site_fixed<1>(task, tk.seed); break;
                    case 2: acc = permute_site_fixed<2>(task, tk.seed); break;
                    case 3: acc = permute_site_fixed<3>(task, tk.seed); break;
                    case 4: acc = permute_site_fixed<4>(task, tk.seed); break;
                    case 5: acc = permute_site_fixed<5>(task, tk.seed); break;
                    case 6: acc = permute_site_fixed<6>(task, tk.seed); break;
                    case 7: acc = permute_site_fixed<7>(task, tk.seed); break;
                    case 8: acc = permute_site_fixed<8>(task, tk.seed); break;
                    case 9: acc = permute_site_fixed<9>(task, tk.seed); break;
                    case 10: acc = permute_site_fixed<10>(task, tk.seed); break;
                    case 11: acc = permute_site_fixed<11>(task, tk.seed); break;
                    case 12: acc = permute_site_fixed<12>(task, tk.seed); break;
                    case 13: acc = permute_site_fixed<13>(task, tk.seed); break;
                    case 14: acc = permute_site_fixed<14>(task, tk.seed); break;
                    case 15: acc = permute_site_fixed<15>(task, tk.seed); break;
                    default: acc = permute_site_fixed<16>(task, tk.seed); break;
                }
            } else {
                // larger neighbourhoods: partial Fisher-Yates over the m other
                // sites (undone after each permutation), O(k) per permutation
                WyRand rng(tk.seed, task.site);
                drawn.resize(kk);
                auto& perm = shufflers[t];
                perm.init(m);
                for (int p = 0; p < P; ++p) {
                    double sum = 0;
                    for (std::size_t a = 0; a < kk; ++a) {
                        const auto j = a + static_cast<std::size_t>(
                                               (static_cast<unsigned __int128>(rng.next()) * (m - a)) >> 64);
                        std::swap(perm.perm[a], perm.perm[j]);
                        std::uint32_t c = perm.perm[a];
                        c += c >= task.site;
                        drawn[a] = static_cast<std::uint32_t>(j);  // remember the swap to undo it
                        sum += wv[a] * z[c];
                    }
                    for (std::size_t a = kk; a-- > 0;) std::swap(perm.perm[a], perm.perm[drawn[a]]);
                    const double s = task.zi_scaled * (sum + task.self_lag);
                    acc.add(s, task.observed);
                    if (task.keep) task.keep[p] = s;
                }
            }
            sums.ge[i] = acc.ge;
            sums.le[i] = acc.le;
            sums.sum[i] = acc.sum;
            sums.sum2[i] = acc.sum2;
        }
    });
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
