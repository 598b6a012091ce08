#pragma once
// The primal network simplex specialised to the dense transportation problem:
// N sources, M sinks, an arc from every source to every sink, no capacities.
// Arcs are implicit (arc i*M + j costs cost[i*M + j]), so memory is the cost
// matrix plus one state byte per arc; the spanning tree lives on the N + M + 1
// nodes (an artificial root joins every node at the start, big-M style).
//
// Why not LEMON's NetworkSimplex (which tests/ot uses as the oracle): on a
// general graph it keeps ~50 bytes per arc (source, target, bounds, flow,
// cost, state) and spent 3.6 s of a 9 s 5000 x 5000 solve just filling them.
//
// Pivoting: block search over the arcs (blocks of ~sqrt(N*M) arcs, the most
// negative reduced cost of the first block that has one), strongly feasible
// trees by Cunningham's leaving-arc rule (ties on the entering arc's source
// side go to the arc nearest the join, on its sink side to the arc farthest
// from it), which rules out cycling under degeneracy. Flows are 64-bit
// integers, costs doubles.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace geoenc::ot {

struct TransportFlow {
    std::size_t i = 0, j = 0;  // source, sink
    long long flow = 0;
};

struct TransportSolution {
    bool feasible = false;            // false when the supplies and demands do not balance
    long double cost = 0.0L;          // sum flow * cost, in units of the integer masses
    std::vector<TransportFlow> flows;  // the non-zero flows (a basic solution: at most N + M - 1)
    std::size_t pivots = 0;
};

// supply: N values >= 0, demand: M values >= 0, equal totals; cost: N x M row-major.
TransportSolution transport_simplex(const std::vector<long long>& supply, const std::vector<long long>& demand,
                                    const double* cost);

}  // namespace geoenc::ot
