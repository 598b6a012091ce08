#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "ot/exact_ot.h"
#include "ot/masses.h"
#include "ot_fixtures.h"

using namespace geoenc::ot;

TEST_CASE("exact OT (network simplex) matches POT emd2 to 1e-9 relative") {
    for (const auto& name : ot_test::case_names()) {
        CAPTURE(name);
        const auto c = ot_test::load_case(name);
        const SphereCost C(c.us, c.ut);
        const ExactResult r = exact_ot(c.src.w, c.tgt.w, C, 2);
        CHECK(r.optimal());
        CHECK((*c.ref)["emd_result_code"].get<int>() == 1);
        CHECK(ot_test::rel(r.cost, (*c.ref)["emd_km"].get<double>()) <= 1e-9);
    }
}

TEST_CASE("integer masses sum exactly to the total") {
    const std::vector<long long> m = integer_masses({1.0, 1.0, 1.0}, 1LL << 53);
    CHECK(std::accumulate(m.begin(), m.end(), 0LL) == (1LL << 53));
}

TEST_CASE("exact OT: identical inputs give 0, one point against many, unequal totals") {
    const auto c = ot_test::load_case("europe_50x60");
    const SphereCost Css(c.us, c.us);
    const ExactResult r0 = exact_ot(c.src.w, c.src.w, Css);
    CHECK(r0.optimal());
    CHECK(r0.cost == 0.0);

    // One source point: the cost is the mass-weighted mean distance.
    const UnitVectors one = to_unit_vectors({c.src.lon[0]}, {c.src.lat[0]});
    const SphereCost C1(one, c.ut);
    double mean = 0.0;
    for (std::size_t j = 0; j < C1.cols(); ++j) mean += C1(0, j) / static_cast<double>(C1.cols());
    const ExactResult r1 = exact_ot({1.0}, c.tgt.w, C1);
    CHECK(r1.optimal());
    CHECK(ot_test::rel(r1.cost, mean) <= 1e-12);

    // Totals 3 and 60 * (1/60): both normalised.
    const SphereCost C(c.us, c.ut);
    std::vector<double> a3(c.src.w.size(), 3.0 / 50.0);
    CHECK(totals_differ(a3, c.tgt.w));
    CHECK(ot_test::rel(exact_ot(a3, c.tgt.w, C).cost, (*c.ref)["emd_km"].get<double>()) <= 1e-9);
}
