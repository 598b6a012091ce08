// Bivariate local Moran's I (esda.Moran_Local_BV): the statistic and quadrants
// by hand on a 4-site path, the conditional permutation (y permuted, x fixed),
// determinism across thread counts, and the quadrants of esda's documented
// SIDS2 example.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "stats/moran_fixtures.h"
#include "stats/moran_local_bv.h"
#include "stats/weights_files.h"
#include "stats/weights_transform.h"

using namespace geoenc::stats;

namespace {

// Path 0 - 1 - 2 - 3, binary.
SpatialWeights path4() {
    SpatialWeights w;
    w.n = 4;
    w.offsets = {0, 1, 3, 5, 6};
    w.neighbors = {1, 0, 2, 1, 3, 2};
    w.values.assign(6, 1.0);
    w.ids = {"1", "2", "3", "4"};
    return w;
}

// A ring of n sites, each with its 2 neighbours on either side.
SpatialWeights ring(std::int64_t n) {
    SpatialWeights w;
    w.n = n;
    w.offsets.push_back(0);
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t d : {-2, -1, 1, 2}) w.neighbors.push_back(std::int32_t((i + d + n) % n));
        w.values.insert(w.values.end(), 4, 1.0);
        w.offsets.push_back(std::int64_t(w.neighbors.size()));
        w.ids.push_back(std::to_string(i));
    }
    return w;
}

}  // namespace

TEST_CASE("moran_local_bv: Is and quadrants by hand") {
    // x = 1 2 3 4: zx = (-1.5 -0.5 0.5 1.5) / sqrt(1.25), sum zx^2 = 4
    // y = 2 0 4 2: zy = (0 -sqrt2 sqrt2 0)
    // row-standardised lag of zy: -sqrt2, sqrt2/2, -sqrt2/2, sqrt2
    // Is = 3/4 zx (W zy) = sqrt(1.6) * (1.125, -0.1875, -0.1875, 1.125)
    const auto w = transform_weights(path4(), "r");
    PermutationOptions o;
    o.permutations = 0;
    const auto r = moran_local_bv({1, 2, 3, 4}, {2, 0, 4, 2}, w, o);
    const double s = std::sqrt(1.6);
    const double want[4] = {1.125 * s, -0.1875 * s, -0.1875 * s, 1.125 * s};
    for (int i = 0; i < 4; ++i) CHECK(r.Is[i] == doctest::Approx(want[i]).epsilon(1e-14));
    CHECK(r.q == std::vector<std::int8_t>{3, 2, 4, 1});  // LL, LH, HL, HH
    CHECK(r.lag[0] == doctest::Approx(-std::sqrt(2.0)).epsilon(1e-14));
    CHECK(r.n_ge.empty());
}

TEST_CASE("moran_local_bv: the permutation draws y for the neighbours, x_i stays") {
    const auto w = transform_weights(path4(), "r");
    PermutationOptions o;
    o.permutations = 3000;
    o.seed = 7;
    o.keep_simulations = true;
    const auto r = moran_local_bv({1, 2, 3, 4}, {2, 0, 4, 2}, w, o);
    // Site 0 has one neighbour, drawn from sites 1..3 with zy = -sqrt2, sqrt2, 0:
    // simulated Is_0 = 3/4 zx_0 zy_j in {Is_0, -Is_0, 0}, each about a third.
    const double is0 = r.Is[0];
    int counts[3] = {0, 0, 0};
    for (int p = 0; p < o.permutations; ++p) {
        const double v = r.sim[p];
        if (std::fabs(v - is0) < 1e-12) ++counts[0];
        else if (std::fabs(v + is0) < 1e-12) ++counts[1];
        else if (std::fabs(v) < 1e-12) ++counts[2];
        else FAIL("unexpected simulated value " << v);
    }
    for (int c : counts) CHECK(std::abs(c - 1000) < 120);
    // n_ge counts the draws at least Is_0 (> 0): only Is_0 itself.
    CHECK(r.n_ge[0] == counts[0]);
    CHECK(r.n_le[0] == o.permutations);
    CHECK(r.EI_sim[0] == doctest::Approx(is0 * (counts[0] - counts[1]) / double(o.permutations)).epsilon(1e-9));
    const auto p = r.p_sim();
    CHECK(p[0] == doctest::Approx((std::min(counts[0], o.permutations - counts[0]) + 1.0) / (o.permutations + 1.0)));
}

TEST_CASE("moran_local_bv: a self weight keeps y_i in every simulation (esda's _moran_local_bv_crand)") {
    const int n = 30;
    const auto w = transform_weights(geoenc::test::path_with_self_weights(n, 0.5), "r");
    std::vector<double> x = geoenc::test::smooth_values(n), y;
    for (int i = 0; i < n; ++i) y.push_back(std::cos(0.7 * i) + 0.05 * i * i);
    PermutationOptions o;
    o.permutations = 400;
    o.keep_simulations = true;
    const auto r = moran_local_bv(x, y, w, o);
    // zy, standardised as the statistic does (ddof 0)
    double my = 0, sy = 0, den = 0;
    for (double v : y) my += v / n;
    for (double v : y) sy += (v - my) * (v - my) / n;
    std::vector<double> zy, scale;
    for (double v : y) zy.push_back((v - my) / std::sqrt(sy));
    for (double v : r.z) den += v * v;
    for (double v : r.z) scale.push_back(v * (n - 1) / den);
    CHECK(geoenc::test::self_term_mismatches(r, w, zy, scale) == 0);
    CHECK(geoenc::test::kept_simulation_mismatches(r) == 0);
}

TEST_CASE("moran_local_bv: p_sim depends on the seed, not on the thread count") {
    const std::int64_t n = 1500;
    std::vector<double> x(n), y(n);
    for (std::int64_t i = 0; i < n; ++i) {
        x[i] = std::sin(0.01 * double(i)) + 0.3 * std::cos(double(i * i % 97));
        y[i] = std::cos(0.013 * double(i)) + 0.2 * std::sin(double(i * 31 % 89));
    }
    const auto w = transform_weights(ring(n), "r");
    PermutationOptions o;
    o.permutations = 199;
    o.seed = 42;
    o.threads = 1;
    const auto a = moran_local_bv(x, y, w, o);
    o.threads = 4;
    const auto b = moran_local_bv(x, y, w, o);
    CHECK(a.n_ge == b.n_ge);
    CHECK(a.n_le == b.n_le);
    CHECK(a.z_sim == b.z_sim);
    o.seed = 43;
    const auto c = moran_local_bv(x, y, w, o);
    CHECK(a.n_ge != c.n_ge);
    CHECK(a.Is == c.Is);
}

TEST_CASE("moran_local_bv: SIDS2 quadrants as esda documents them") {
    // esda's docstring: Moran_Local_BV(SIDR79, SIDR74, sids2.gal, 'r').q[:10]
    const auto cols = geoenc::test::read_csv("moran/sids2.csv");
    const auto w = transform_weights(read_gal(geoenc::test::data_path("moran/sids2.gal")), "r");
    REQUIRE(w.ids == cols.at("FIPSNO"));
    std::vector<double> x, y;
    for (const auto& v : cols.at("SIDR79")) x.push_back(std::stod(v));
    for (const auto& v : cols.at("SIDR74")) y.push_back(std::stod(v));
    PermutationOptions o;
    o.permutations = 0;
    const auto r = moran_local_bv(x, y, w, o);
    const std::vector<std::int8_t> want = {3, 4, 3, 4, 2, 1, 4, 4, 2, 4};
    CHECK(std::vector<std::int8_t>(r.q.begin(), r.q.begin() + 10) == want);
}
