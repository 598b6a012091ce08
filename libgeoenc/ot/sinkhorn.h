#pragma once
// Entropic optimal transport, log-domain Sinkhorn with the cost on the fly.
//
// Plan: P_ij = exp((f_i + g_j - C_ij) / eps), eps absolute (in cost units).
// Updates alternate g_j = eps log b_j - eps LSE_i((f_i - C_ij)/eps) and
// f_i = eps log a_i - eps LSE_j((g_j - C_ij)/eps), rows or columns in parallel
// blocks, the cost evaluated in tiles (memory O(N + M)). Epsilon scaling:
// eps starts at max C and is quartered down to eps (warm-started potentials; each
// coarse stage runs until its L1 marginal error < 0.1 or 50 iterations).
// An iteration sets f from g by the plain row update (so the rows of every
// state match a exactly), measures the column marginal error, and moves g
// towards its plain update with Anderson mixing (ot/anderson.h; restarted on
// error jumps) or, when anderson = 0, adaptive over-relaxation.
// The final stage stops when the L1 marginal error sum_j |(P^T 1)_j - b_j| is
// below tol; that state is returned.
//
// Values (README of the references):
//   linear       = <P, C>                           (POT ot.sinkhorn2)
//   kl_objective = <P, C> + eps KL(P | a (x) b)     (OTT reg_ot_cost, GeomLoss),
//                  KL(P|Q) = sum P log(P/Q) - sum P + sum Q
//   dual         = <a, f - eps log a> + <b, g - eps log b>  (= kl_objective at convergence)
// Masses are normalised to sum 1 (the caller warns when the totals differ).
#include <string>
#include <vector>

#include "ot/ground_cost.h"

namespace geoenc::ot {

struct SinkhornOptions {
    double eps = 0.0;            // absolute, in cost units; > 0
    double tol = 1e-9;           // L1 marginal error
    int max_iter = 100000;       // iterations of the final stage
    bool eps_scaling = true;
    double eps_start = 0.0;      // <= 0: max C
    double scaling_factor = 0.25;  // each stage eps times this (0.5 took ~10% more sweeps)
    int threads = 0;             // <= 0: all cores
    int anderson = 16;           // Anderson acceleration over this many iterates; 0: off
    bool overrelaxation = true;  // without Anderson: over-relaxed updates (same fixed point, fewer iterations)
    // Bytes the solver may use for a single-precision Gibbs kernel (ot/gibbs_kernel.h,
    // 4 per entry); 0: log-sum-exp passes over the cost only.
    std::size_t kernel_memory = std::size_t(1) << 30;
    // Smaller problems skip the kernel: its builds would cost more than its passes save.
    std::size_t kernel_min_entries = std::size_t(1) << 20;
};

struct SinkhornResult {
    double linear = 0.0;
    double kl_objective = 0.0;
    double dual = 0.0;
    double eps = 0.0;
    int iterations = 0;          // all stages together
    int kernel_builds = 0;       // Gibbs kernels built (0: the cost only)
    double marginal_error = 0.0; // final L1 marginal error
    bool converged = false;
    std::vector<double> f, g;    // potentials (g == f for a symmetric solve)
};

// Alternating log-domain Sinkhorn between a and b.
SinkhornResult sinkhorn(const std::vector<double>& a, const std::vector<double>& b, const CostFunction& C,
                        const SinkhornOptions& opt);

// OT(a, a) on a square cost (C(i,j) = C(j,i)) with the symmetric averaged
// update f <- (f + T(f)) / 2, which converges where the alternating one
// oscillates (eps below the nearest-neighbour spacing). Stops on the L1
// marginal error of the symmetric plan.
SinkhornResult sinkhorn_symmetric(const std::vector<double>& a, const CostFunction& C, const SinkhornOptions& opt);

// Debiased Sinkhorn divergence with the same absolute eps for the three problems:
//   linear = L(a,b) - L(a,a)/2 - L(b,b)/2, L = <P,C>  (POT's
//            empirical_sinkhorn_divergence, which also clips at 0: see linear_clipped)
//   kl     = OT(a,b) - OT(a,a)/2 - OT(b,b)/2, OT = kl_objective (Feydy et al. 2019)
// Caa = C(src, src), Cbb = C(tgt, tgt). When `identical` is set (same points
// and masses on both sides) the cross term is the self term and both are 0.
struct DivergenceResult {
    SinkhornResult ab, aa, bb;
    double linear = 0.0, linear_clipped = 0.0, kl = 0.0;
};
DivergenceResult sinkhorn_divergence(const std::vector<double>& a, const std::vector<double>& b,
                                     const CostFunction& Cab, const CostFunction& Caa, const CostFunction& Cbb,
                                     const SinkhornOptions& opt, bool identical = false);

// GeoSpOT's default (haoranzhang7/GeoSpOT compute_distances/core/ot_distance.py):
// M = C / max C, ot.sinkhorn2(a, b, M, reg=0.01, method="sinkhorn",
// numItermax=1000, stopThr=1e-8), POT 0.8.2. Replicates sinkhorn_knopp's
// iterates exactly (u = 1/n start; v = b/K^T u; u = a/K v; every 10th
// iteration ii (ii % 10 == 0) err = ||v * K^T u - b||_2, stop when < stopThr),
// in the log domain. POT falls back to sinkhorn_log on a "numerical errors"
// warning (K^T u == 0 or inf/NaN scalings); sinkhorn_log's iterates give the
// same plan (its u = 0 start only shifts the first v), so the value is the
// same; method_used tells which POT would have reported.
struct GeoSpotResult {
    double value_normalised = 0.0;   // <P, C/max C>
    double value_times_max = 0.0;    // the same times max C
    double max_cost = 0.0;
    int niter = 0;                   // POT's ii at exit (iterations done - 1 when it stopped on err)
    double last_err = 0.0;           // the last err POT computed
    bool converged = false;
    std::string method_used = "sinkhorn";
    std::vector<double> f, g;        // log-domain potentials on C / max C (eps = reg), for the plan
};
// max_cost <= 0: computed here (a caller that knows max C saves a pass over C).
GeoSpotResult geospot_sinkhorn(const std::vector<double>& a, const std::vector<double>& b, const CostFunction& C,
                               int threads = 0, double max_cost = 0.0, double reg = 0.01, int max_iter = 1000,
                               double stop_thr = 1e-8);

}  // namespace geoenc::ot
