#include "ot/exact_ot.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>

#include "ot/masses.h"

namespace geoenc::ot {

std::string ExactResult::status_text() const {
    switch (status) {
        case Status::Optimal: return "optimal";
        case Status::Infeasible: return "infeasible";
        case Status::Unbounded: return "unbounded";
    }
    return "unknown";
}

std::vector<long long> integer_masses(const std::vector<double>& w, long long total) {
    const std::vector<double> p = normalise_masses(w);
    const long double T = static_cast<long double>(total);
    std::vector<long long> out(p.size());
    std::vector<std::pair<long double, std::size_t>> rem(p.size());
    long long sum = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const long double x = static_cast<long double>(p[i]) * T;
        const long double f = std::floor(x);
        out[i] = static_cast<long long>(f);
        rem[i] = {x - f, i};
        sum += out[i];
    }
    long long left = total - sum;  // >= 0, < size + rounding slack
    std::stable_sort(rem.begin(), rem.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    for (std::size_t k = 0; left > 0; k = (k + 1) % rem.size(), --left) ++out[rem[k].second];
    for (; left < 0; ++left) {  // only through long double rounding of a sum above total
        auto it = std::max_element(out.begin(), out.end());
        --*it;
    }
    return out;
}

ExactResult exact_ot(const std::vector<double>& a, const std::vector<double>& b, const CostFunction& C,
                     int threads, std::vector<Flow>* flows) {
    const std::size_t n = C.rows(), m = C.cols();
    if (a.size() != n || b.size() != m) throw std::invalid_argument("exact_ot: mass sizes do not match the cost");
    if (n == 0 || m == 0) throw std::invalid_argument("exact_ot: empty input");
    const long long total = 1LL << 53;
    const std::vector<long long> ia = integer_masses(a, total);
    const std::vector<long long> ib = integer_masses(b, total);

    lemon::StaticDigraph g;
    {
        std::vector<std::pair<int, int>> arcs;
        arcs.reserve(n * m);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < m; ++j) arcs.emplace_back(static_cast<int>(i), static_cast<int>(n + j));
        g.build(static_cast<int>(n + m), arcs.begin(), arcs.end());
    }
    // StaticDigraph arc ids follow the order given: arc i*m + j.
    lemon::StaticDigraph::ArcMap<double> cost(g);
    {
        const std::vector<double> dense = materialize(C, threads);
        for (lemon::StaticDigraph::ArcIt e(g); e != lemon::INVALID; ++e) cost[e] = dense[static_cast<std::size_t>(g.id(e))];
    }
    lemon::StaticDigraph::NodeMap<long long> supply(g);
    for (std::size_t i = 0; i < n; ++i) supply[g.node(static_cast<int>(i))] = ia[i];
    for (std::size_t j = 0; j < m; ++j) supply[g.node(static_cast<int>(n + j))] = -ib[j];

    using NS = lemon::NetworkSimplex<lemon::StaticDigraph, long long, double>;
    NS ns(g);
    ns.costMap(cost).supplyMap(supply);
    const NS::ProblemType r = ns.run(NS::BLOCK_SEARCH);
    ExactResult res;
    if (r == NS::INFEASIBLE) {
        res.status = ExactResult::Status::Infeasible;
        return res;
    }
    if (r == NS::UNBOUNDED) {
        res.status = ExactResult::Status::Unbounded;
        return res;
    }
    res.status = ExactResult::Status::Optimal;
    long double acc = 0.0L;
    for (lemon::StaticDigraph::ArcIt e(g); e != lemon::INVALID; ++e) {
        const long long f = ns.flow(e);
        if (f == 0) continue;
        acc += static_cast<long double>(f) * static_cast<long double>(cost[e]);
        if (flows) {
            const auto id = static_cast<std::size_t>(g.id(e));
            flows->push_back({id / m, id % m, static_cast<double>(f) / static_cast<double>(total), cost[e]});
        }
    }
    res.cost = static_cast<double>(acc / static_cast<long double>(total));
    return res;
}

}  // namespace geoenc::ot
