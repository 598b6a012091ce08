// The transportation simplex against LEMON's general NetworkSimplex (the
// oracle) on random problems: degenerate masses (zeros, equal values),
// integer-valued costs with many ties, rectangular shapes, one row or column.
#include <doctest/doctest.h>

#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>

#include <cmath>
#include <random>
#include <vector>

#include "ot/transport_simplex.h"

using namespace geoenc::ot;

namespace {

long double lemon_cost(const std::vector<long long>& a, const std::vector<long long>& b, const std::vector<double>& c) {
    const std::size_t n = a.size(), m = b.size();
    lemon::StaticDigraph g;
    std::vector<std::pair<int, int>> arcs;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < m; ++j) arcs.emplace_back(int(i), int(n + j));
    g.build(int(n + m), arcs.begin(), arcs.end());
    lemon::StaticDigraph::ArcMap<double> cost(g);
    for (lemon::StaticDigraph::ArcIt e(g); e != lemon::INVALID; ++e) cost[e] = c[std::size_t(g.id(e))];
    lemon::StaticDigraph::NodeMap<long long> supply(g);
    for (std::size_t i = 0; i < n; ++i) supply[g.node(int(i))] = a[i];
    for (std::size_t j = 0; j < m; ++j) supply[g.node(int(n + j))] = -b[j];
    lemon::NetworkSimplex<lemon::StaticDigraph, long long, double> ns(g);
    ns.costMap(cost).supplyMap(supply);
    REQUIRE(ns.run() == lemon::NetworkSimplex<lemon::StaticDigraph, long long, double>::OPTIMAL);
    long double total = 0;
    for (lemon::StaticDigraph::ArcIt e(g); e != lemon::INVALID; ++e)
        total += static_cast<long double>(ns.flow(e)) * cost[e];
    return total;
}

// Random masses summing to `total`, some of them zero.
std::vector<long long> masses(std::size_t k, long long total, std::mt19937_64& rng, bool zeros) {
    std::vector<long long> v(k, 0);
    std::uniform_int_distribution<std::size_t> pick(0, k - 1);
    for (long long left = total; left > 0;) {
        const long long chunk = std::max<long long>(1, left / 7);
        v[zeros ? pick(rng) % std::max<std::size_t>(1, k / 2) : pick(rng)] += chunk;
        left -= chunk;
    }
    return v;
}

}  // namespace

TEST_CASE("the transportation simplex finds LEMON's optimum") {
    std::mt19937_64 rng(11);
    const std::size_t shapes[][2] = {{1, 1}, {1, 7}, {9, 1}, {5, 5}, {13, 29}, {40, 17}, {64, 64}, {3, 100}, {200, 150}};
    for (const auto& shape : shapes)
        for (int trial = 0; trial < 6; ++trial) {
            const std::size_t n = shape[0], m = shape[1];
            CAPTURE(n);
            CAPTURE(m);
            CAPTURE(trial);
            const long long total = trial % 2 ? (1LL << 53) : 1000;
            const auto a = masses(n, total, rng, trial % 3 == 0);
            const auto b = masses(m, total, rng, trial % 3 == 1);
            std::vector<double> c(n * m);
            std::uniform_real_distribution<double> u(0.0, 100.0);
            for (auto& x : c) x = trial >= 4 ? std::floor(u(rng) / 10.0) : u(rng);  // ties when floored
            const TransportSolution s = transport_simplex(a, b, c.data());
            REQUIRE(s.feasible);
            const long double want = lemon_cost(a, b, c);
            CHECK(std::abs(double(s.cost - want)) <= 1e-12 * std::max(1.0, double(std::abs(want))));
            // A basic feasible plan: at most n + m - 1 flows, marginals exact.
            CHECK(s.flows.size() <= n + m - 1);
            std::vector<long long> rows(n, 0), cols(m, 0);
            for (const auto& f : s.flows) {
                CHECK(f.flow > 0);
                rows[f.i] += f.flow;
                cols[f.j] += f.flow;
            }
            CHECK(rows == a);
            CHECK(cols == b);
        }
}

TEST_CASE("unbalanced totals are infeasible") {
    const double c[] = {1, 2};
    CHECK_FALSE(transport_simplex({3}, {1, 1}, c).feasible);
}

TEST_CASE("all costs equal: maximal degeneracy still terminates with exact marginals") {
    const std::size_t n = 300, m = 200;
    std::vector<long long> a(n, 2), b(m, 3);
    std::vector<double> c(n * m, 7.0);
    const TransportSolution s = transport_simplex(a, b, c.data());
    REQUIRE(s.feasible);
    CHECK(double(s.cost) == doctest::Approx(7.0 * 600));
    long long moved = 0;
    for (const auto& f : s.flows) moved += f.flow;
    CHECK(moved == 600);
}
