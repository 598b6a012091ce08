// Global Moran's I, Geary's C and bivariate Moran against esda (reference.json).
#include <doctest/doctest.h>

#include <cmath>

#include "stats/moran_fixtures.h"
#include "stats/moran_global.h"
#include "stats/weights_builders.h"
#include "stats/weights_files.h"
#include "stats/weights_transform.h"

using namespace geoenc::stats;
using geoenc::test::close_rel;
using geoenc::test::data_path;

namespace {

constexpr double kRel = 1e-9;  // deterministic values: I, EI, VI, z, analytic p

SpatialWeights columbus_weights(const std::string& name) {
    if (name == "knn5") {
        Coordinates c;
        c.x = geoenc::test::csv_column("moran/columbus_centroids.csv", "x");
        c.y = geoenc::test::csv_column("moran/columbus_centroids.csv", "y");
        c.metric = Metric::planar;
        return transform_weights(knn_weights(c, 5), "r");
    }
    // "queen" (built from the polygons, equal to columbus.gal) and "columbus.gal"
    return transform_weights(read_gal(data_path("moran/columbus.gal")), "r");
}

// A pseudo p-value from 999 permutations agrees with the reference up to Monte-Carlo error.
bool p_sim_consistent(double p, double p_ref, int permutations = 999) {
    return std::fabs(p - p_ref) <= 3 * std::sqrt(p_ref * (1 - p_ref) / permutations) + 1e-12;
}

}  // namespace

TEST_CASE("Moran's I: every Columbus reference (queen, knn5, columbus.gal x CRIME, INC, HOVAL)") {
    const auto ref = geoenc::test::reference_json();
    int checked = 0;
    for (const auto& g : ref["global"]) {
        CAPTURE(g["weights"].get<std::string>());
        CAPTURE(g["variable"].get<std::string>());
        REQUIRE(g["dataset"] == "columbus");
        const auto y = geoenc::test::csv_column("moran/columbus.csv", g["variable"].get<std::string>());
        const auto w = columbus_weights(g["weights"]);
        PermutationOptions o;
        o.permutations = g["permutations"];
        o.seed = 12345;
        const auto r = moran(y, w, o, g["two_tailed"]);
        CHECK(r.n == g["n"].get<int>());
        CHECK(close_rel(r.s0, g["s0"], kRel));
        CHECK(close_rel(r.s1, g["s1"], kRel));
        CHECK(close_rel(r.s2, g["s2"], kRel));
        CHECK(close_rel(r.I, g["I"], kRel));
        CHECK(close_rel(r.EI, g["EI"], kRel));
        CHECK(close_rel(r.VI_norm, g["VI_norm"], kRel));
        CHECK(close_rel(r.seI_norm, g["seI_norm"], kRel));
        CHECK(close_rel(r.z_norm, g["z_norm"], kRel));
        CHECK(close_rel(r.p_norm, g["p_norm"], kRel));
        CHECK(close_rel(r.VI_rand, g["VI_rand"], kRel));
        CHECK(close_rel(r.seI_rand, g["seI_rand"], kRel));
        CHECK(close_rel(r.z_rand, g["z_rand"], kRel));
        CHECK(close_rel(r.p_rand, g["p_rand"], kRel));
        // permutation inference: statistically consistent with esda's (different RNG)
        const double se_ref = g["seI_sim"];
        CHECK(p_sim_consistent(r.perm.p_sim, g["p_sim"]));
        CHECK(std::fabs(r.perm.E_sim - g["EI_sim"].get<double>()) <= 4 * std::sqrt(2.0) * se_ref / std::sqrt(999.0));
        CHECK(std::fabs(r.perm.se_sim / se_ref - 1) <= 0.10);
        CHECK(std::fabs(r.perm.z_sim / g["z_sim"].get<double>() - 1) <= 0.15);
        CHECK(r.perm.V_sim == doctest::Approx(r.perm.se_sim * r.perm.se_sim));
        ++checked;
    }
    CHECK(checked == 7);
}

TEST_CASE("Moran's I replicates esda's documented STL and SIDS2 (OpenGeoDa) values") {
    const auto ref = geoenc::test::reference_json()["checks"];
    {
        const auto& c = ref["published_stl_HR8893_stl.gal"]["computed"];
        const auto w = transform_weights(read_gal(data_path("moran/stl.gal")), "r");
        const auto y = geoenc::test::csv_column("moran/stl.csv", "HR8893");
        const auto r = moran(y, w, PermutationOptions{0});
        CHECK(close_rel(r.I, c["I"], kRel));
        CHECK(close_rel(r.EI, c["EI"], kRel));
        CHECK(close_rel(r.p_norm, c["p_norm"], kRel));
        CHECK(std::round(r.I * 1000) / 1000 == 0.244);
    }
    {
        const auto& c = ref["published_sids2_SIDR74_sids2.gal_OpenGeoDa"]["computed"];
        const auto w = transform_weights(read_gal(data_path("moran/sids2.gal")), "r");
        const auto y = geoenc::test::csv_column("moran/sids2.csv", "SIDR74");
        const auto r = moran(y, w, PermutationOptions{0});
        CHECK(close_rel(r.I, c["I"], kRel));
        CHECK(close_rel(r.p_norm, c["p_norm"], kRel));
        // one-tailed is half the two-tailed p
        const auto r1 = moran(y, w, PermutationOptions{0}, false);
        CHECK(close_rel(r1.p_norm, c["p_norm"].get<double>() / 2, kRel));
    }
}

TEST_CASE("Geary's C on Columbus queen CRIME equals esda's") {
    const auto g = geoenc::test::reference_json()["extras_columbus_queen_CRIME"]["Geary"];
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "CRIME");
    const auto r = geary(y, columbus_weights("queen"));
    CHECK(close_rel(r.C, g["C"], kRel));
    CHECK(r.EC == 1.0);
    CHECK(close_rel(r.VC_norm, g["VC_norm"], kRel));
    CHECK(close_rel(r.VC_rand, g["VC_rand"], kRel));
    CHECK(close_rel(r.z_norm, g["z_norm"], kRel));
    CHECK(close_rel(r.z_rand, g["z_rand"], kRel));
    CHECK(close_rel(r.p_norm, g["p_norm_one_tailed"], kRel));
    CHECK(close_rel(r.p_rand, g["p_rand_one_tailed"], kRel));
    CHECK(p_sim_consistent(r.perm.p_sim, g["p_sim"]));
}

TEST_CASE("bivariate Moran's I (CRIME with the lag of INC) equals esda's") {
    const auto g = geoenc::test::reference_json()["extras_columbus_queen_CRIME"]["Moran_BV_x=CRIME_y=INC"];
    const auto x = geoenc::test::csv_column("moran/columbus.csv", "CRIME");
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "INC");
    const auto r = moran_bv(x, y, columbus_weights("queen"));
    CHECK(close_rel(r.I, g["I"], kRel));
    CHECK(p_sim_consistent(r.perm.p_sim, g["p_sim"]));
    CHECK(std::fabs(r.perm.z_sim / g["z_sim"].get<double>() - 1) <= 0.15);
}

TEST_CASE("permutations are reproducible for a seed and independent of the thread count") {
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "HOVAL");
    const auto w = columbus_weights("queen");
    PermutationOptions o;
    o.keep_simulations = true;
    o.threads = 1;
    const auto a = moran(y, w, o);
    o.threads = 2;
    const auto b = moran(y, w, o);
    o.threads = 5;
    const auto c = moran(y, w, o);
    CHECK(a.perm.sim == b.perm.sim);
    CHECK(a.perm.sim == c.perm.sim);
    CHECK(a.perm.p_sim == c.perm.p_sim);
    o.seed = 99;
    const auto d = moran(y, w, o);
    CHECK(d.perm.sim != a.perm.sim);
    // the permutation distribution is that of esda's (999 values shipped): compare moments
    const auto ref_sim = geoenc::test::csv_column("moran/columbus_CRIME_queen_global_sim_nonumba.csv", "I_sim");
    double m = 0, v = 0;
    for (double s : ref_sim) m += s;
    m /= double(ref_sim.size());
    for (double s : ref_sim) v += (s - m) * (s - m);
    v /= double(ref_sim.size());
    const auto crime = moran(geoenc::test::csv_column("moran/columbus.csv", "CRIME"), w, PermutationOptions{});
    CHECK(std::fabs(crime.perm.E_sim - m) <= 4 * std::sqrt(2 * v / 999));
    CHECK(std::fabs(crime.perm.V_sim / v - 1) <= 0.2);
}
