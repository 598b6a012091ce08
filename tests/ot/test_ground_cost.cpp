#include <doctest/doctest.h>

#include <cmath>
#include <regex>

#include "ot/ground_cost.h"
#include "ot_fixtures.h"

using namespace geoenc::ot;

TEST_CASE("haversine spot checks to 1e-9 km (scalar and unit-vector costs)") {
    const auto& spots = ot_test::reference()["spot_checks_km"];
    const std::regex re(R"(\(([-0-9.]+),([-0-9.]+)\)->\(([-0-9.]+),([-0-9.]+)\))");
    int n = 0;
    for (auto it = spots.begin(); it != spots.end(); ++it) {
        std::smatch mm;
        const std::string key = it.key();
        REQUIRE(std::regex_match(key, mm, re));
        const double lon1 = std::stod(mm[1]), lat1 = std::stod(mm[2]), lon2 = std::stod(mm[3]), lat2 = std::stod(mm[4]);
        const double ref = it.value().get<double>();
        CAPTURE(key);
        CHECK(std::fabs(haversine_km(lon1, lat1, lon2, lat2) - ref) <= 1e-9);
        const UnitVectors s = to_unit_vectors({lon1}, {lat1}), t = to_unit_vectors({lon2}, {lat2});
        const SphereCost c(s, t);
        CHECK(std::fabs(c(0, 0) - ref) <= 1e-9);
        ++n;
    }
    CHECK(n == 6);
    // Settable radius and p = 2.
    const UnitVectors s = to_unit_vectors({0.0}, {0.0}), t = to_unit_vectors({180.0}, {0.0});
    CHECK(std::fabs(SphereCost(s, t, 1, 6371.0)(0, 0) - M_PI * 6371.0) <= 1e-9);
    CHECK(std::fabs(SphereCost(s, t, 2)(0, 0) - std::pow(M_PI * kEarthRadiusKm, 2)) <= 1e-6);
}

TEST_CASE("cost statistics of the reference cases without a stored matrix") {
    for (const auto& name : ot_test::case_names()) {
        CAPTURE(name);
        const auto c = ot_test::load_case(name);
        const auto& ck = (*c.ref)["cost_km"];
        const SphereCost C(c.us, c.ut);
        CHECK(ot_test::rel(cost_max(C, 2), ck["max"].get<double>()) <= 1e-12);
        CHECK(ot_test::rel(cost_min(C, 2), ck["min"].get<double>()) <= 1e-10);
        CHECK(ot_test::rel(C(0, 0), ck["C00"].get<double>()) <= 1e-12);
        const double med_stored = cost_median(C, 2);
        const double med_stream = cost_median(C, 2, 0);  // force the streaming bisection
        CHECK(ot_test::rel(med_stored, ck["median"].get<double>()) <= 1e-12);
        CHECK(ot_test::rel(med_stream, ck["median"].get<double>()) <= 1e-12);
        // Row and column tiles agree.
        std::vector<double> r(C.cols()), col(C.rows());
        C.row(3, 0, C.cols(), r.data());
        C.col(5, 0, C.rows(), col.data());
        CHECK(r[5] == col[3]);
    }
}

TEST_CASE("mix cost: lambda C1/max C1 + (1-lambda) C2/max C2") {
    const auto c = ot_test::load_case("europe_50x60");
    const SphereCost C1(c.us, c.ut);
    std::vector<double> v(C1.rows() * C1.cols());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 1.0 + static_cast<double>(i % 7);
    const DenseCost C2(v, C1.rows(), C1.cols());
    const MixCost mix(C1, C2, 0.3);
    const double m1 = cost_max(C1);
    CHECK(mix.max1() == m1);
    CHECK(mix.max2() == 7.0);
    for (std::size_t i : {0u, 7u, 49u})
        for (std::size_t j : {0u, 13u, 59u})
            CHECK(std::fabs(mix(i, j) - (0.3 * C1(i, j) / m1 + 0.7 * C2(i, j) / 7.0)) <= 1e-15);
    CHECK(std::fabs(cost_max(MixCost(C1, C2, 1.0)) - 1.0) <= 1e-15);
}
