// The local Moran permutation step on LibTorch tensors (the CUDA engine, run on
// the CPU): esda's p-values statistically, the analytic conditional moments,
// large neighbourhoods, islands, and reproducibility for a seed.
#include <doctest/doctest.h>

#include <cmath>

#include "stats/moran_fixtures.h"
#include "stats/moran_local.h"
#include "stats/weights_builders.h"
#include "stats/weights_files.h"
#include "stats/weights_transform.h"
#include "stats_tensor/tensor_permutations.h"

using namespace geoenc::stats;

namespace {

const char* kLocalCsv = "moran/columbus_local_moran_CRIME_queen_nonumba.csv";

double col(const std::string& name, std::size_t i) {
    static const auto cols = geoenc::test::read_csv(kLocalCsv);
    return std::stod(cols.at(name).at(i));
}

SpatialWeights queen_r() {
    return transform_weights(read_gal(geoenc::test::data_path("moran/columbus.gal")), "r");
}

// k = 5 of 48 others: the rejection sampler (queen's k up to 10 takes the ranked-keys one).
SpatialWeights knn5_r() {
    Coordinates c;
    c.x = geoenc::test::csv_column("moran/columbus_centroids.csv", "x");
    c.y = geoenc::test::csv_column("moran/columbus_centroids.csv", "y");
    c.metric = Metric::planar;
    return transform_weights(knn_weights(c, 5), "r");
}

LocalMoranResult tensor_local(const std::vector<double>& y, const SpatialWeights& w, PermutationOptions o = {}) {
    return moran_local(y, w, o, 0.0, tensor_local_permutations_cpu);
}

}  // namespace

TEST_CASE("tensor permutations: esda's p-values and simulated moments, statistically") {
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "CRIME");
    const auto r = tensor_local(y, queen_r());
    const auto pd = r.p_sim(Alternative::directed);
    int off_directed = 0, off_mean = 0, off_se = 0, sig_mismatch = 0;
    for (std::size_t i = 0; i < 49; ++i) {
        const double p_ref = col("p_sim_directed", i);
        off_directed += std::fabs(pd[i] - p_ref) > 3 * std::sqrt(p_ref * (1 - p_ref) / 999) + 1e-12;
        sig_mismatch += (pd[i] < 0.05) != (p_ref < 0.05);
        const double se_ref = col("seI_sim", i);
        off_mean += std::fabs(r.EI_sim[i] - col("EI_sim", i)) > 4 * std::sqrt(2.0) * se_ref / std::sqrt(999.0);
        off_se += std::fabs(r.seI_sim[i] / se_ref - 1) > 0.15;
        CHECK(r.n_ge[i] + r.n_le[i] >= 999);
    }
    CHECK(off_directed <= 2);
    CHECK(sig_mismatch <= 3);
    CHECK(off_mean <= 2);
    CHECK(off_se <= 2);
}

TEST_CASE("tensor permutations: uniform k-subsets (the analytic conditional moments, many permutations)") {
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "INC");
    PermutationOptions o;
    o.permutations = 40000;
    for (const auto& w : {queen_r(), knn5_r()}) {  // ranked keys, then rejection
        CHECK(geoenc::test::conditional_moment_misfits(tensor_local(y, w, o), 0.05) == 0);
    }
}

TEST_CASE("tensor permutations: the same p-values as the C++ engine up to Monte-Carlo error (knn:5)") {
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "CRIME");
    const auto w = knn5_r();
    const auto t = tensor_local(y, w);
    const auto c = moran_local(y, w);
    const auto pt = t.p_sim(Alternative::directed), pc = c.p_sim(Alternative::directed);
    int off = 0;
    for (std::size_t i = 0; i < 49; ++i) {
        // two independent estimates: their difference has twice the variance
        const double q = 0.5 * (pt[i] + pc[i]);
        off += std::fabs(pt[i] - pc[i]) > 3 * std::sqrt(2 * q * (1 - q) / 999) + 2.0 / 1000;
    }
    CHECK(off <= 2);
}

TEST_CASE("tensor permutations: a complete graph (every other site drawn) and islands") {
    const auto r = tensor_local(geoenc::test::smooth_values(20), transform_weights(geoenc::test::complete_graph(20), "r"));
    for (std::size_t i = 0; i < 20; ++i) {
        CHECK(r.EI_sim[i] == doctest::Approx(r.Is[i]).epsilon(1e-9));
        CHECK(r.seI_sim[i] < 1e-9);
    }
    const auto ri = tensor_local({1, 2, 3, 4, 10, -5}, transform_weights(geoenc::test::two_pairs_and_islands(), "r"));
    CHECK(ri.Is[4] == 0.0);
    CHECK(ri.p_sim(Alternative::directed)[4] == doctest::Approx(1.0 / 1000));
    CHECK(ri.p_sim(Alternative::two_sided)[4] == 1.0);
}

TEST_CASE("tensor permutations: reproducible for a seed; keep_simulations agrees with the sums") {
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "HOVAL");
    const auto w = queen_r();
    PermutationOptions o;
    o.keep_simulations = true;
    const auto a = tensor_local(y, w, o);
    const auto b = tensor_local(y, w, o);
    CHECK(a.sim == b.sim);
    CHECK(a.n_ge == b.n_ge);
    o.seed = 7;
    const auto c = tensor_local(y, w, o);
    CHECK(c.sim != a.sim);
    CHECK(geoenc::test::kept_simulation_mismatches(a) == 0);
}

TEST_CASE("tensor permutations: a self weight stays fixed in the simulations (esda's crand)") {
    const int n = 30;
    const auto w = transform_weights(geoenc::test::path_with_self_weights(n, 0.5), "r");
    PermutationOptions o;
    o.permutations = 400;
    o.keep_simulations = true;
    const auto r = tensor_local(geoenc::test::smooth_values(n), w, o);
    CHECK(geoenc::test::univariate_self_term_mismatches(r, w) == 0);
    CHECK(geoenc::test::kept_simulation_mismatches(r) == 0);
}

TEST_CASE("tensor permutations: many repeats to redraw (k = 25 of 200 others) stay uniform") {
    // The draws collide in most permutations here (k^2 / 2m ~ 1.6): repeats are
    // drawn again lane by lane, and the moments must still be the analytic ones.
    const int n = 201, k = 25;
    SpatialWeights w;
    w.n = n;
    w.offsets.push_back(0);
    for (int i = 0; i < n; ++i) {
        for (int a = 1; a <= k; ++a) {
            w.neighbors.push_back((i + a) % n);
            w.values.push_back(1.0);
        }
        w.offsets.push_back(static_cast<std::int64_t>(w.neighbors.size()));
    }
    std::vector<double> y;
    for (int i = 0; i < n; ++i) y.push_back(std::sin(i * 0.05) + 0.3 * std::cos(i * 2.1));
    PermutationOptions o;
    o.permutations = 3000;
    CHECK(geoenc::test::conditional_moment_misfits(tensor_local(y, transform_weights(w, "r"), o), 0.08) <= 2);
}

TEST_CASE("tensor permutations: sites and permutations in small blocks give the same kind of answer") {
    // A 4 KiB budget: one site at a time, a few permutations per block; the kept
    // simulations must agree with the sums, the p-values with esda's.
    set_tensor_chunk_bytes_cpu(4096);
    const auto y = geoenc::test::csv_column("moran/columbus.csv", "CRIME");
    PermutationOptions o;
    o.keep_simulations = true;
    const auto r = tensor_local(y, knn5_r(), o);
    set_tensor_chunk_bytes_cpu(64.0 * (1 << 20));
    CHECK(geoenc::test::kept_simulation_mismatches(r) == 0);
    const auto c = moran_local(y, knn5_r());
    const auto pt = r.p_sim(Alternative::directed), pc = c.p_sim(Alternative::directed);
    int off = 0;
    for (std::size_t i = 0; i < 49; ++i) {
        const double q = 0.5 * (pt[i] + pc[i]);
        off += std::fabs(pt[i] - pc[i]) > 3 * std::sqrt(2 * q * (1 - q) / 999) + 2.0 / 1000;
    }
    CHECK(off <= 2);
}
