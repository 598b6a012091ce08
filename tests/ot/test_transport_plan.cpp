#include <doctest/doctest.h>

#include <cmath>

#include "ot/embedding_cost.h"
#include "ot/exact_ot.h"
#include "ot/masses.h"
#include "ot/sinkhorn.h"
#include "ot/transport_plan.h"
#include "ot_fixtures.h"

using namespace geoenc::ot;

TEST_CASE("Exact plan flows sum to 1 and reproduce the exact cost") {
    const auto c = ot_test::load_case("europe_50x60_weighted");
    const SphereCost C(c.us, c.ut);
    std::vector<Flow> flows;
    const ExactResult r = exact_ot(c.src.w, c.tgt.w, C, 2, &flows);
    REQUIRE(r.optimal());
    CHECK(flows.size() <= C.rows() + C.cols() - 1);
    double mass = 0.0, cost = 0.0;
    for (const auto& f : flows) {
        mass += f.mass;
        cost += f.mass * f.cost;
    }
    CHECK(mass == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(ot_test::rel(cost, r.cost) <= 1e-12);
    const auto top = select_flows(flows, {5, 0.0});
    REQUIRE(top.size() == 5);
    for (std::size_t k = 1; k < top.size(); ++k) CHECK(top[k - 1].mass >= top[k].mass);
}

TEST_CASE("Sinkhorn flows are the largest plan entries, deterministic at any thread count") {
    const auto c = ot_test::load_case("europe_50x60");
    const SphereCost C(c.us, c.ut);
    SinkhornOptions o;
    o.eps = 0.05 * cost_max(C);
    const SinkhornResult r = sinkhorn(c.src.w, c.tgt.w, C, o);
    const auto all = sinkhorn_flows(C, r.f, r.g, o.eps, {0, 0.0}, 1);
    CHECK(all.size() == C.rows() * C.cols());
    double mass = 0.0;
    for (const auto& f : all) mass += f.mass;
    CHECK(mass == doctest::Approx(1.0).epsilon(1e-8));
    const auto top1 = sinkhorn_flows(C, r.f, r.g, o.eps, {10, 0.0}, 1);
    const auto top2 = sinkhorn_flows(C, r.f, r.g, o.eps, {10, 0.0}, 2);
    REQUIRE(top1.size() == 10);
    for (std::size_t k = 0; k < 10; ++k) {
        CHECK(top1[k].i == all[k].i);
        CHECK(top1[k].j == all[k].j);
        CHECK(top2[k].i == top1[k].i);
        CHECK(top2[k].j == top1[k].j);
    }
    const auto heavy = sinkhorn_flows(C, r.f, r.g, o.eps, {0, 0.01}, 2);
    for (const auto& f : heavy) CHECK(f.mass >= 0.01);
}

TEST_CASE("Embedding cost is 1 - cosine, 0 for identical directions") {
    const std::vector<double> src = {1, 0, 0, 0, 2, 0};  // 2 x 3
    const std::vector<double> tgt = {3, 0, 0, 0, 0, -1, 1, 1, 0};  // 3 x 3
    const EmbeddingCost C(src, tgt, 3);
    CHECK(C(0, 0) == doctest::Approx(0.0));
    CHECK(C(0, 1) == doctest::Approx(1.0));
    CHECK(C(1, 2) == doctest::Approx(1.0 - std::sqrt(0.5)));
    CHECK_THROWS_AS(EmbeddingCost({0, 0, 0}, tgt, 3), std::invalid_argument);
}

TEST_CASE("Squared cost squares entries") {
    const DenseCost D(std::vector<double>{1.0, 2.0, 3.0, 4.0}, 2, 2);
    const SquaredCost S(D);
    CHECK(S(1, 0) == 9.0);
    double col[2];
    S.col(1, 0, 2, col);
    CHECK(col[0] == 4.0);
    CHECK(col[1] == 16.0);
}
