// Local Moran's I against esda.Moran_Local (Columbus CRIME, queen, 'r', 999 permutations).
#include <doctest/doctest.h>

#include <cmath>

#include "stats/moran_fixtures.h"
#include "stats/moran_local.h"
#include "stats/weights_files.h"
#include "stats/weights_transform.h"

using namespace geoenc::stats;
using geoenc::test::close_rel;
using geoenc::test::data_path;

namespace {

const char* kLocalCsv = "moran/columbus_local_moran_CRIME_queen_nonumba.csv";

double col(const std::string& name, std::size_t i) {
    static const auto cols = geoenc::test::read_csv(kLocalCsv);
    return std::stod(cols.at(name).at(i));
}

SpatialWeights queen_r() { return transform_weights(read_gal(data_path("moran/columbus.gal")), "r"); }

bool within_3_se(double p, double p_ref, int permutations = 999) {
    return std::fabs(p - p_ref) <= 3 * std::sqrt(p_ref * (1 - p_ref) / permutations) + 1e-12;
}

}  // namespace

TEST_CASE("local Moran: z, lag, Is, quadrants and analytic moments equal esda's") {
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "CRIME");
    const auto r = moran_local(y, queen_r());
    REQUIRE(r.n == 49);
    double sum_is = 0;
    for (std::size_t i = 0; i < 49; ++i) {
        CAPTURE(i);
        CHECK(y[i] == col("y", i));
        CHECK(close_rel(r.z[i], col("z", i), 1e-9));
        CHECK(close_rel(r.lag[i], col("lag_z", i), 1e-9));
        CHECK(close_rel(r.Is[i], col("Is", i), 1e-9));
        CHECK(int(r.q[i]) == int(col("q", i)));
        CHECK(close_rel(r.EI[i], col("EI_total_perm", i), 1e-9));
        CHECK(close_rel(r.VI[i], col("VI_total_perm", i), 1e-9));
        CHECK(close_rel(r.EIc[i], col("EIc_cond_perm", i), 1e-9));
        CHECK(close_rel(r.VIc[i], col("VIc_cond_perm", i), 1e-9));
        sum_is += r.Is[i];
    }
    const auto ref = geoenc::test::reference_json()["local"][0];
    CHECK(close_rel(sum_is / 49, ref["sum_Is_over_n_equals_I"], 1e-9));
}

TEST_CASE("local Moran: conditional-permutation p-values agree with esda's statistically") {
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "CRIME");
    const auto r = moran_local(y, queen_r());
    const auto pd = r.p_sim(Alternative::directed);
    const auto p2 = r.p_sim(Alternative::two_sided);
    int off_directed = 0, off_two = 0, sig_mismatch = 0, sig_mismatch_two = 0, off_mean = 0, off_se = 0;
    int n_sig = 0, n_sig_two = 0;
    for (std::size_t i = 0; i < 49; ++i) {
        off_directed += !within_3_se(pd[i], col("p_sim_directed", i));
        // a two-sided p is twice a one-tail proportion, so its Monte-Carlo
        // standard error is 2 sqrt(q (1 - q) / P) with q = p / 2 (not sqrt(p (1 - p) / P))
        const double q = col("p_sim_two_sided", i) / 2;
        off_two += std::fabs(p2[i] - 2 * q) > 3 * 2 * std::sqrt(q * (1 - q) / 999) + 1e-12;
        sig_mismatch += (pd[i] < 0.05) != (col("p_sim_directed", i) < 0.05);
        sig_mismatch_two += (p2[i] < 0.05) != (col("p_sim_two_sided", i) < 0.05);
        n_sig += pd[i] < 0.05;
        n_sig_two += p2[i] < 0.05;
        const double se_ref = col("seI_sim", i);
        off_mean += std::fabs(r.EI_sim[i] - col("EI_sim", i)) > 4 * std::sqrt(2.0) * se_ref / std::sqrt(999.0);
        off_se += std::fabs(r.seI_sim[i] / se_ref - 1) > 0.15;
        CHECK(r.p_z_sim[i] == doctest::Approx(0.5 * std::erfc(std::fabs(r.z_sim[i]) / std::sqrt(2.0))).epsilon(1e-6));
        CHECK(r.n_ge[i] + r.n_le[i] >= 999);
    }
    CHECK(off_directed <= 2);
    CHECK(off_two <= 2);
    CHECK(sig_mismatch <= 3);
    CHECK(sig_mismatch_two <= 3);
    CHECK(off_mean <= 2);
    CHECK(off_se <= 2);
    const auto ref = geoenc::test::reference_json()["local"][0];
    CHECK(std::abs(n_sig - ref["n_sig_0.05_directed"].get<int>()) <= 3);
    CHECK(std::abs(n_sig_two - ref["n_sig_0.05_two_sided"].get<int>()) <= 3);
    // cluster map at 0.05 (directed, as the reference counts it)
    const auto labels = cluster_labels(r, pd, 0.05);
    const auto& counts = ref["cluster_counts_sig_0.05_directed"];
    for (int q = 1; q <= 4; ++q) {
        int c = 0;
        for (auto l : labels) c += l == q;
        CAPTURE(cluster_name(q));
        CHECK(std::abs(c - counts[cluster_name(q)].get<int>()) <= 2);
    }
}

TEST_CASE("local Moran: reproducible for a seed, independent of threads; keep_simulations") {
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "HOVAL");
    const auto w = queen_r();
    PermutationOptions o;
    o.threads = 1;
    o.keep_simulations = true;
    const auto a = moran_local(y, w, o);
    o.threads = 3;
    const auto b = moran_local(y, w, o);
    CHECK(a.sim == b.sim);
    CHECK(a.n_ge == b.n_ge);
    CHECK(a.EI_sim == b.EI_sim);
    o.seed = 7;
    const auto c = moran_local(y, w, o);
    CHECK(c.sim != a.sim);
    CHECK(geoenc::test::kept_simulation_mismatches(a) == 0);
    auto off = a;  // the check itself notices a count that does not match
    off.n_ge[3] += 1;
    CHECK(geoenc::test::kept_simulation_mismatches(off) == 1);
}

TEST_CASE("local Moran: the sampler matches the analytic conditional moments (many permutations)") {
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "INC");
    PermutationOptions o;
    o.permutations = 40000;
    const auto r = moran_local(y, queen_r(), o);
    CHECK(geoenc::test::conditional_moment_misfits(r, 0.05) == 0);
}

TEST_CASE("local Moran: large neighbourhoods use the shuffle sampler (k > n / 8)") {
    // complete graph on 20 sites: every draw takes all 19 others, so each
    // simulated value is the same: -z_i^2 * (n-1)/sum z^2 / 19
    const auto r = moran_local(geoenc::test::smooth_values(20), transform_weights(geoenc::test::complete_graph(20), "r"));
    for (std::size_t i = 0; i < 20; ++i) {
        CHECK(r.EI_sim[i] == doctest::Approx(r.Is[i]).epsilon(1e-9));
        CHECK(r.seI_sim[i] < 1e-9);
    }
}

TEST_CASE("local Moran: a self weight (kernel weights' diagonal) stays fixed in the simulations, as esda's crand") {
    const int n = 30;
    const auto w = transform_weights(geoenc::test::path_with_self_weights(n, 0.5), "r");
    PermutationOptions o;
    o.permutations = 400;
    o.keep_simulations = true;
    const auto r = moran_local(geoenc::test::smooth_values(n), w, o);
    CHECK(geoenc::test::univariate_self_term_mismatches(r, w) == 0);
    CHECK(geoenc::test::kept_simulation_mismatches(r) == 0);
}

TEST_CASE("local Moran: islands as esda (Is 0, no lag) and never in the cluster map") {
    const std::vector<double> y = {1, 2, 3, 4, 10, -5};
    const auto r = moran_local(y, transform_weights(geoenc::test::two_pairs_and_islands(), "r"));  // 4, 5: islands
    CHECK(r.islands == std::vector<std::int64_t>{4, 5});
    CHECK(r.Is[4] == 0.0);
    CHECK(r.lag[4] == 0.0);
    CHECK(int(r.q[4]) == 4);  // z > 0, lag 0: HL as esda
    CHECK(int(r.q[5]) == 3);  // z < 0, lag 0: LL
    CHECK(r.p_sim(Alternative::directed)[4] == doctest::Approx(1.0 / 1000));  // esda's artefact
    CHECK(r.p_sim(Alternative::two_sided)[4] == 1.0);
    const auto labels = cluster_labels(r, r.p_sim(), 0.05);
    CHECK(labels[4] == 0);
    CHECK(labels[5] == 0);
}

TEST_CASE("significance thresholds: none, Bonferroni, FDR (esda.fdr)") {
    const std::vector<double> p = {0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216};
    CHECK(significance_threshold(p, 0.05, Correction::none) == 0.05);
    CHECK(significance_threshold(p, 0.05, Correction::bonferroni) == doctest::Approx(0.005));
    // BH: k alpha / n = 0.005, 0.010, 0.015, ...: p_(2) = 0.008 < 0.010 is the largest passing
    CHECK(significance_threshold(p, 0.05, Correction::fdr) == doctest::Approx(0.010));
    CHECK(significance_threshold({0.5, 0.6}, 0.05, Correction::fdr) == 0.0);
    CHECK(parse_correction("fdr") == Correction::fdr);
    CHECK(parse_alternative("two-sided") == Alternative::two_sided);
}
