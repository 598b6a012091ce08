#include "ot/transport_plan.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <queue>

#include "core/parallel_blocks.h"

namespace geoenc::ot {

namespace {

bool larger(const Flow& x, const Flow& y) {
    if (x.mass != y.mass) return x.mass > y.mass;
    if (x.i != y.i) return x.i < y.i;
    return x.j < y.j;
}

}  // namespace

void order_flows(std::vector<Flow>& flows) { std::sort(flows.begin(), flows.end(), larger); }

std::vector<Flow> select_flows(std::vector<Flow> flows, const FlowSelection& sel) {
    flows.erase(std::remove_if(flows.begin(), flows.end(),
                               [&](const Flow& f) { return !(f.mass > 0) || f.mass < sel.min_mass; }),
                flows.end());
    order_flows(flows);
    if (sel.max_flows > 0 && flows.size() > sel.max_flows) flows.resize(sel.max_flows);
    return flows;
}

std::vector<Flow> sinkhorn_flows(const CostFunction& C, const std::vector<double>& f, const std::vector<double>& g,
                                 double eps, const FlowSelection& sel, int threads) {
    const std::size_t n = C.rows(), m = C.cols();
    const std::size_t cap = sel.max_flows > 0 ? sel.max_flows : std::numeric_limits<std::size_t>::max();
    std::vector<Flow> all;
    std::mutex merge;
    const double inv = 1.0 / eps;
    parallel_blocks(static_cast<std::int64_t>(n), 64, threads, [&](std::int64_t, std::int64_t i0, std::int64_t i1, int) {
        // A min-heap (by `larger`) of the block's best flows.
        std::priority_queue<Flow, std::vector<Flow>, decltype(&larger)> heap(larger);
        std::vector<double> tile(std::min(m, kCostTile));
        for (std::int64_t ii = i0; ii < i1; ++ii) {
            const std::size_t i = static_cast<std::size_t>(ii);
            for (std::size_t j0 = 0; j0 < m; j0 += kCostTile) {
                const std::size_t j1 = std::min(m, j0 + kCostTile);
                C.row(i, j0, j1, tile.data());
                for (std::size_t k = 0; k < j1 - j0; ++k) {
                    const double p = std::exp((f[i] + g[j0 + k] - tile[k]) * inv);
                    if (!(p > 0) || p < sel.min_mass) continue;
                    const Flow fl{i, j0 + k, p, tile[k]};
                    if (heap.size() < cap) heap.push(fl);
                    else if (larger(fl, heap.top())) {
                        heap.pop();
                        heap.push(fl);
                    }
                }
            }
        }
        std::lock_guard<std::mutex> lock(merge);
        for (; !heap.empty(); heap.pop()) all.push_back(heap.top());
    });
    return select_flows(std::move(all), sel);
}

}  // namespace geoenc::ot
