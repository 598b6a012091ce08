#pragma once
// Global statistics as esda computes them: Moran's I (analytic inference under
// normality and randomisation, permutation inference), Geary's C and the
// bivariate Moran's I. The weights are used as given: transform them first
// (transform_weights(w, "r") is esda's default). Islands are not special-cased,
// exactly as in esda: their rows are empty, so they add nothing to W z or s0.
#include <cstdint>
#include <vector>

#include "stats/spatial_weights.h"

namespace geoenc::stats {

struct PermutationOptions {
    int permutations = 999;      // 0: no permutation inference
    std::uint64_t seed = 12345;  // our own RNG: results depend on the seed only, not on threads
    int threads = 0;             // <= 0: all cores
    bool keep_simulations = false;
};

// Permutation summaries shared by the global statistics.
struct PermutationSummary {
    int permutations = 0;
    double p_sim = 0;   // esda: (min(#sim >= obs, P - #sim >= obs) + 1) / (P + 1)
    double E_sim = 0;   // mean of the simulated values
    double se_sim = 0;  // their standard deviation (ddof 0)
    double V_sim = 0;
    double z_sim = 0;
    double p_z_sim = 0;  // one-tailed, tail chosen by the sign of z_sim
    std::vector<double> sim;  // only with keep_simulations
};

struct MoranResult {
    std::int64_t n = 0;
    double s0 = 0, s1 = 0, s2 = 0;
    double I = 0, EI = 0;
    double VI_norm = 0, seI_norm = 0, z_norm = 0, p_norm = 0;
    double VI_rand = 0, seI_rand = 0, z_rand = 0, p_rand = 0;
    bool two_tailed = true;
    PermutationSummary perm;
};

// esda.Moran(y, w, permutations, two_tailed).
MoranResult moran(const std::vector<double>& y, const SpatialWeights& w, const PermutationOptions& options = {},
                  bool two_tailed = true);

struct GearyResult {
    std::int64_t n = 0;
    double C = 0, EC = 1.0;
    double VC_norm = 0, seC_norm = 0, z_norm = 0, p_norm = 0;  // p one-tailed, as esda
    double VC_rand = 0, seC_rand = 0, z_rand = 0, p_rand = 0;
    PermutationSummary perm;  // p_z_sim = 1 - cdf(|z_sim|), as esda's Geary
};

// esda.Geary(y, w, permutations).
GearyResult geary(const std::vector<double>& y, const SpatialWeights& w, const PermutationOptions& options = {});

struct MoranBVResult {
    std::int64_t n = 0;
    double I = 0;  // sum(zx * W zy) / (n - 1), zx and zy standardised with ddof 1
    PermutationSummary perm;
};

// esda.Moran_BV(x, y, w, permutations): x against the spatial lag of y; y is permuted.
MoranBVResult moran_bv(const std::vector<double>& x, const std::vector<double>& y, const SpatialWeights& w,
                       const PermutationOptions& options = {});

}  // namespace geoenc::stats
