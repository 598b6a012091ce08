#include "ot/exact_ot.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>


#include "ot/masses.h"
#include "ot/transport_simplex.h"

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

    // A stored cost is used in place (no second N x M copy).
    CostMatrix computed;
    const auto* stored = dynamic_cast<const DenseCost*>(&C);
    if (!stored) computed = materialize(C, threads);
    const CostMatrix& dense = stored ? stored->values() : computed;
    const TransportSolution sol = transport_simplex(ia, ib, dense.data());
    ExactResult res;
    if (!sol.feasible) {
        res.status = ExactResult::Status::Infeasible;
        return res;
    }
    res.status = ExactResult::Status::Optimal;
    if (flows)
        for (const auto& f : sol.flows)
            flows->push_back({f.i, f.j, static_cast<double>(f.flow) / static_cast<double>(total), dense[f.i * m + f.j]});
    res.cost = static_cast<double>(sol.cost / static_cast<long double>(total));
    return res;
}

}  // namespace geoenc::ot
