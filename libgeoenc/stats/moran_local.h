#pragma once
// Local Moran's I (LISA) as esda.Moran_Local computes it, with a fast
// conditional-permutation engine: for each site i and permutation p, draw
// k_i distinct other sites at random (k_i = number of non-self neighbours)
// and recompute I_i with their values. Site i's draws come from its own
// stream (seed, i), so results depend on the seed only, never on threads.
// Work is O(N * k * permutations) and no N x permutations matrix is stored
// unless asked for.
#include <cstdint>
#include <string>
#include <vector>

#include "stats/moran_global.h"
#include "stats/spatial_weights.h"

namespace geoenc::stats {

// Alternatives for the pseudo p-value (esda.significance):
// directed   (esda's default): (min(#ge, P - #ge) + 1) / (P + 1)
// two_sided: min(2 (min(#ge, #le) + 1) / (P + 1), 1)
// greater:   (#ge + 1) / (P + 1);  lesser: (#le + 1) / (P + 1)
enum class Alternative { directed, two_sided, greater, lesser };
Alternative parse_alternative(const std::string& name);  // "directed", "two-sided", "greater", "lesser"

struct LocalMoranResult {
    std::int64_t n = 0;
    std::vector<double> z;    // (y - mean) / std (ddof 0)
    std::vector<double> lag;  // W z
    std::vector<double> Is;   // (n - 1) z_i (W z)_i / sum(z^2), as esda
    std::vector<std::int8_t> q;  // 1 HH, 2 LH, 3 LL, 4 HL (esda, geoda_quads = False)
    // analytic moments (Sokal et al. 1998, on Anselin's scale z_i (Wz)_i / m2, as esda):
    std::vector<double> EI, VI;    // total randomisation
    std::vector<double> EIc, VIc;  // conditional randomisation
    // permutation inference (empty when permutations == 0)
    int permutations = 0;
    std::vector<std::int32_t> n_ge, n_le;  // simulated values >= and <= the observed Is
    std::vector<double> EI_sim, seI_sim, z_sim, p_z_sim;  // p_z_sim = 1 - cdf(|z_sim|)
    std::vector<double> sim;  // n x permutations, only with keep_simulations
    std::vector<std::int64_t> islands;

    std::vector<double> p_sim(Alternative alternative = Alternative::directed) const;
};

// The conditional-permutation step, separable from the statistics so that it
// can run on another engine (stats_tensor: LibTorch tensors, CUDA). For each
// site i and permutation p: draw k_i distinct sites other than i uniformly,
// s = zi_scaled_i * (sum_a weights_i[a] z[drawn a] + self_lag_i), and accumulate
// ge_i += s >= observed_i, le_i += s <= observed_i, sum_i += s - shift_i,
// sum2_i += (s - shift_i)^2 (shift: near the mean, so the squares do not cancel).
struct LocalPermutationTask {
    std::int64_t n = 0;
    const double* z = nullptr;
    std::vector<std::int64_t> offsets;  // n + 1: site i's weights are weights[offsets[i], offsets[i+1])
    std::vector<double> weights;        // non-self, non-zero (an island: one, island_weight)
    std::vector<double> zi_scaled, observed, shift;  // per site
    // w_ii z_i: site i's own term, held fixed in every simulation as esda's
    // crand does (kernel weights have a diagonal); all zero without one
    std::vector<double> self_lag;
    int permutations = 0;
    std::uint64_t seed = 0;
    int threads = 0;
    double* keep = nullptr;  // n x permutations simulated values, or null
};
struct LocalPermutationSums {
    std::vector<std::int32_t> ge, le;
    std::vector<double> sum, sum2;
};
// An engine fills sums (sized n) from a task; it may throw DataError/UsageError.
using LocalPermutationEngine = void (*)(const LocalPermutationTask&, LocalPermutationSums&);
// The threaded C++ engine: per-site random streams (seed, i), so the results
// depend on the seed only, never on the threads.
void cpu_local_permutations(const LocalPermutationTask& task, LocalPermutationSums& sums);

// esda.Moran_Local(y, w, permutations, seed, island_weight): w as given (use
// transform "r" for esda's default). island_weight: the weight of the one
// fake neighbour an island gets in the simulation (esda's default 0: the
// island's simulated values all equal its Is = 0).
LocalMoranResult moran_local(const std::vector<double>& y, const SpatialWeights& w,
                             const PermutationOptions& options = {}, double island_weight = 0.0,
                             LocalPermutationEngine engine = cpu_local_permutations);

// The permutation fields of r (n_ge ... p_z_sim, sim) for Is_i = zi_scaled_i (W drawn)_i:
// builds the engine's task from w (non-self weights drawn, the diagonal held
// fixed, islands get one fake neighbour of island_weight) and runs it. r.Is
// must be set. shift_i: a value near site i's simulated mean. Shared by the
// univariate and bivariate statistics.
void local_permutation_inference(const SpatialWeights& w, const std::vector<double>& drawn,
                                 const std::vector<double>& zi_scaled, const std::vector<double>& shift,
                                 const PermutationOptions& options, double island_weight,
                                 LocalPermutationEngine engine, LocalMoranResult& r);

// Multiple-comparison handling of the cluster map.
enum class Correction { none, bonferroni, fdr };
Correction parse_correction(const std::string& name);  // "none", "bonferroni", "fdr"

// The p-value threshold: alpha; alpha / n (Bonferroni); or the Benjamini-Hochberg
// threshold as esda.fdr computes it (0 when nothing passes). Significant: p < threshold.
double significance_threshold(const std::vector<double>& p, double alpha, Correction correction);

// Cluster label per site: 0 not significant, else the quadrant (1 HH, 2 LH, 3 LL, 4 HL).
// Islands are never labelled significant (esda's directed p for an island is a
// meaningless 1 / (P + 1)).
std::vector<std::int8_t> cluster_labels(const LocalMoranResult& r, const std::vector<double>& p, double alpha,
                                        Correction correction = Correction::none);
const char* cluster_name(int label);  // "ns", "HH", "LH", "LL", "HL"

}  // namespace geoenc::stats
