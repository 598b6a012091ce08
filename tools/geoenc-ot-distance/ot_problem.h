#pragma once
// One optimal-transport problem of geoenc-ot-distance: the ground cost the
// options ask for between two sample sets, the solver, and its figures.
#include <string>
#include <vector>

#include "ot/transport_plan.h"
#include "ot_samples.h"

namespace geoenc::tools {

enum class CostKind { Haversine, Geodesic, Embedding, Mix };
enum class SolverKind { Exact, Sinkhorn, Divergence, GeoSpot };

// --eps: an absolute value (cost units, or a distance in km with a km suffix)
// or a fraction of the max or median of the pair's cost.
struct EpsRule {
    enum class Kind { Absolute, Km, OfMax, OfMedian } kind = Kind::OfMax;
    double value = 0.01;
    std::string text = "0.01max";
};
EpsRule parse_eps(const std::string& text);  // UsageError naming --eps

struct ProblemSettings {
    CostKind cost = CostKind::Haversine;
    int p = 1;
    double radius_km = 6371.0088;
    double lambda = 0.5;           // --cost mix
    SolverKind solver = SolverKind::Sinkhorn;
    EpsRule eps;
    double tol = 1e-9;
    int max_iter = 100000;
    std::size_t cost_memory = std::size_t(2) << 30;  // bytes of stored cost matrices and Sinkhorn kernels
    int threads = 0;
    bool want_flows = false;
    ot::FlowSelection flows;
};

std::string cost_name(CostKind k);
std::string solver_name(SolverKind k);
// The unit of cost values: km, km^2, or "" (dimensionless).
std::string cost_units(const ProblemSettings& s);

struct PairResult {
    double distance = 0.0;  // the headline number (see the man page)
    double ot_cost = 0.0;   // exact: sum P C; sinkhorn: <P, C>; divergence: the debiased value
    double linear = 0.0, entropic = 0.0;
    double divergence_linear = 0.0;
    double eps = 0.0;
    double max_cost = 0.0;
    int iterations = 0;
    double marginal_error = 0.0;
    bool converged = true;
    std::string status = "optimal";
    std::vector<ot::Flow> flows;
};

// How a pair spends --cost-memory: the cross cost is stored if it fits (8 bytes
// an entry), then a divergence's self costs in turn, each if it fits in what is
// left; Sinkhorn's single-precision Gibbs kernel (4 bytes an entry,
// ot/gibbs_kernel.h; one alive at a time) may use the rest. Never depends on --threads.
struct StoragePlan {
    bool ab = false, aa = false, bb = false;  // which costs are stored
    std::size_t stored = 0;                   // their bytes
    std::size_t kernel_budget = 0;            // bytes left for the kernel
};
// same: a divergence between identical sides (the cross cost serves as the self cost).
StoragePlan plan_storage(std::size_t n, std::size_t m, const ProblemSettings& s, bool same = false);
// What a pair of n and m points holds at most in stored matrices (not identical sides).
std::size_t pair_memory(std::size_t n, std::size_t m, const ProblemSettings& s);

// a and b carry embeddings when the cost needs them.
PairResult solve_pair(const Samples& a, const Samples& b, const ProblemSettings& s);
// A set against itself where the distance is 0 by definition (exact, the
// divergence): no solve, but the pair's max cost as a solve would report it.
PairResult identical_pair(const Samples& a, const ProblemSettings& s);

}  // namespace geoenc::tools
