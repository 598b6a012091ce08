#pragma once
// Exact optimal transport cost sum_ij P_ij C_ij by the transportation network
// simplex (ot/transport_simplex.h) on the materialised N x M cost.
//
// Masses: both sides are normalised to sum 1 and scaled to 64-bit integers
// with total 2^53 (largest-remainder rounding, so both totals are exactly
// 2^53). Each mass is then off by at most 2^-54 absolute (~1e-16 relative to
// the total, the resolution of a double), so the optimum differs from the one
// of the real-valued masses by at most (N+M) * 2^-54 * max C: far below the
// 1e-9 relative the references ask. Costs stay double; the network simplex
// is exact on integer flows, and the cost is summed in long double from the
// integer plan divided by 2^53.
// Memory: the cost matrix and one state byte per arc (~9 bytes per arc).
#include <cstddef>
#include <string>
#include <vector>

#include "ot/ground_cost.h"
#include "ot/transport_plan.h"

namespace geoenc::ot {

struct ExactResult {
    enum class Status { Optimal, Infeasible, Unbounded };
    double cost = 0.0;          // sum P_ij C_ij
    Status status = Status::Infeasible;
    bool optimal() const { return status == Status::Optimal; }
    std::string status_text() const;
};

// a (size C.rows()) and b (size C.cols()): non-negative masses; normalised.
// With `flows`, the plan's non-zero entries (at most N + M - 1: a basic
// solution) are stored there, unordered.
ExactResult exact_ot(const std::vector<double>& a, const std::vector<double>& b, const CostFunction& C,
                     int threads = 0, std::vector<Flow>* flows = nullptr);

// Exposed for tests: masses -> integers summing exactly to `total`.
std::vector<long long> integer_masses(const std::vector<double>& w, long long total);

}  // namespace geoenc::ot
