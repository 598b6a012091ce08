#pragma once
// The largest flows of a transport plan, to map where a domain shift comes
// from. Never builds the N x M plan: the Sinkhorn plan is scanned tile by tile
// from its potentials with one bounded heap per thread.
#include <cstddef>
#include <vector>

#include "ot/ground_cost.h"

namespace geoenc::ot {

struct Flow {
    std::size_t i = 0, j = 0;  // source and target index
    double mass = 0.0;         // share of the total mass (the plan sums to 1)
    double cost = 0.0;         // C(i, j)
};

// Which flows to keep: at most max_flows (0: no limit) with mass >= min_mass.
struct FlowSelection {
    std::size_t max_flows = 1000;
    double min_mass = 0.0;
};

// Largest first; equal masses in (i, j) order, so the output is deterministic.
void order_flows(std::vector<Flow>& flows);

// Keeps the selection of `flows` (any order in), largest first.
std::vector<Flow> select_flows(std::vector<Flow> flows, const FlowSelection& sel);

// The selected entries of P_ij = exp((f_i + g_j - C_ij) / eps).
std::vector<Flow> sinkhorn_flows(const CostFunction& C, const std::vector<double>& f, const std::vector<double>& g,
                                 double eps, const FlowSelection& sel, int threads = 0);

}  // namespace geoenc::ot
