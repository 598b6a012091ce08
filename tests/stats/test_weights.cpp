// Spatial weights: builders against the reference edge lists and brute force,
// transforms and s0/s1/s2 against libpysal.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/errors.h"
#include "stats/moran_fixtures.h"
#include "stats/weights_builders.h"
#include "stats/weights_files.h"
#include "stats/weights_transform.h"

using namespace geoenc::stats;
using geoenc::test::close_rel;
using geoenc::test::data_path;

namespace {

Coordinates columbus_centroids() {
    Coordinates c;
    c.x = geoenc::test::csv_column("moran/columbus_centroids.csv", "x");
    c.y = geoenc::test::csv_column("moran/columbus_centroids.csv", "y");
    c.metric = Metric::planar;
    return c;
}

const nlohmann::json& global_entry(const std::string& weights, const std::string& variable) {
    static const auto ref = geoenc::test::reference_json();
    for (const auto& g : ref["global"])
        if (g["weights"] == weights && g["variable"] == variable) return g;
    throw std::runtime_error("no reference for " + weights + " " + variable);
}

Coordinates random_sphere(int n, unsigned seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(-1, 1), lon(-180, 180);
    Coordinates c;
    for (int i = 0; i < n; ++i) {
        c.x.push_back(lon(gen));
        c.y.push_back(std::asin(u(gen)) * 180.0 / M_PI);
    }
    return c;
}

}  // namespace

TEST_CASE("columbus.gal equals the reference queen edges and summary") {
    const auto w = read_gal(data_path("moran/columbus.gal"));
    CHECK(w.n == 49);
    CHECK(w.offsets.back() == 236);
    CHECK(geoenc::test::edges_of(w) == geoenc::test::read_edges("moran/columbus_queen_edges.csv"));
    std::int64_t lo = 1000, hi = 0;
    for (std::int64_t i = 0; i < w.n; ++i) {
        lo = std::min(lo, w.cardinality(i));
        hi = std::max(hi, w.cardinality(i));
    }
    CHECK(lo == 2);
    CHECK(hi == 10);
    CHECK(w.islands().empty());
    CHECK(w.components() == 1);
    CHECK(is_symmetric(w));
    CHECK(w.ids.front() == "1");
}

TEST_CASE("planar KNN-5 on the Columbus centroids equals the reference edges") {
    const auto w = knn_weights(columbus_centroids(), 5);
    CHECK(w.n == 49);
    CHECK(w.offsets.back() == 245);
    CHECK(geoenc::test::edges_of(w) == geoenc::test::read_edges("moran/columbus_knn5_edges.csv"));
    CHECK_FALSE(is_symmetric(w));
    // the same with one thread
    const auto w1 = knn_weights(columbus_centroids(), 5, 1);
    CHECK(w1.neighbors == w.neighbors);
}

TEST_CASE("s0, s1, s2 after row-standardising equal libpysal's") {
    const auto queen = transform_weights(read_gal(data_path("moran/columbus.gal")), "r");
    const auto knn = transform_weights(knn_weights(columbus_centroids(), 5), "R");
    for (const auto& [w, name] : {std::pair{&queen, "queen"}, std::pair{&knn, "knn5"}}) {
        const auto& ref = global_entry(name, "CRIME");
        const auto s = weight_sums(*w);
        CAPTURE(name);
        CHECK(close_rel(s.s0, ref["s0"].get<double>(), 1e-12));
        CHECK(close_rel(s.s1, ref["s1"].get<double>(), 1e-12));
        CHECK(close_rel(s.s2, ref["s2"].get<double>(), 1e-12));
    }
    CHECK(queen.transform == "r");
    CHECK_THROWS_AS(transform_weights(queen, "v"), geoenc::UsageError);
    CHECK_THROWS_AS(transform_weights(read_gal(data_path("moran/columbus.gal")), "x"), geoenc::UsageError);
}

TEST_CASE("variance-stabilising transform: rows scaled to unit length, total n") {
    const auto b = read_gal(data_path("moran/columbus.gal"));
    const auto v = transform_weights(b, "v");
    double total = 0;
    for (double x : v.values) total += x;
    CHECK(total == doctest::Approx(49.0).epsilon(1e-12));
    // every row has the same squared length: (n / Q)^2 with Q = sum_i sqrt(k_i)
    double Q = 0;
    for (std::int64_t i = 0; i < b.n; ++i) Q += std::sqrt(double(b.cardinality(i)));
    for (std::int64_t i = 0; i < v.n; ++i) {
        double ss = 0;
        for (auto e = v.offsets[i]; e < v.offsets[i + 1]; ++e) ss += v.values[e] * v.values[e];
        CHECK(ss == doctest::Approx((49.0 / Q) * (49.0 / Q)).epsilon(1e-12));
    }
}

TEST_CASE("s1 and s2 of a non-symmetric weighted matrix by the definition") {
    SpatialWeights w;
    w.n = 3;
    w.offsets = {0, 2, 3, 4};
    w.neighbors = {1, 2, 0, 2};  // 0->1 (2), 0->2 (3), 1->0 (5), 2->2 (7, a self weight)
    w.values = {2, 3, 5, 7};
    const auto s = weight_sums(w);
    CHECK(s.s0 == 17);
    // (w + w^T): (0,1)=(1,0)=7, (0,2)=(2,0)=3, (2,2)=14 -> s1 = (49*2 + 9*2 + 196) / 2
    CHECK(s.s1 == doctest::Approx((49.0 * 2 + 9 * 2 + 196) / 2));
    // row sums 5,5,7; column sums 5,2,10 -> s2 = 10^2 + 7^2 + 17^2
    CHECK(s.s2 == doctest::Approx(100.0 + 49 + 289));
}

TEST_CASE("islands and components") {
    SpatialWeights w;
    w.n = 5;
    w.offsets = {0, 1, 2, 2, 3, 4};
    w.neighbors = {1, 0, 4, 3};
    w.values = {1, 1, 1, 1};
    CHECK(w.islands() == std::vector<std::int64_t>{2});
    CHECK(w.components() == 3);
    const auto r = transform_weights(w, "r");
    CHECK(r.cardinality(2) == 0);
}

TEST_CASE("KNN on the sphere equals brute-force great-circle search, ties by index") {
    const auto pts = random_sphere(600, 7);
    const int k = 6;
    const auto w = knn_weights(pts, k, 2);
    for (int i = 0; i < 600; ++i) {
        std::vector<std::pair<double, int>> d;
        for (int j = 0; j < 600; ++j)
            if (j != i) d.emplace_back(great_circle_km(pts.x[i], pts.y[i], pts.x[j], pts.y[j]), j);
        std::sort(d.begin(), d.end());
        for (int a = 0; a < k; ++a) CHECK(w.neighbors[i * k + a] == d[a].second);
    }
    // a regular lattice full of ties (and a duplicate point): ties go to the lower index
    Coordinates grid;
    grid.metric = Metric::planar;
    for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 5; ++c) {
            grid.x.push_back(c);
            grid.y.push_back(r);
        }
    grid.x.push_back(2);
    grid.y.push_back(2);  // 25 duplicates 12
    const auto g = knn_weights(grid, 4);
    CHECK(std::vector<int>(g.neighbors.begin() + 12 * 4, g.neighbors.begin() + 13 * 4) == std::vector<int>{25, 7, 11, 13});
    CHECK(std::vector<int>(g.neighbors.begin() + 25 * 4, g.neighbors.begin() + 26 * 4) == std::vector<int>{12, 7, 11, 13});
    CHECK(std::vector<int>(g.neighbors.begin() + 0, g.neighbors.begin() + 4) == std::vector<int>{1, 5, 6, 2});
    CHECK_THROWS_AS(knn_weights(grid, 0), geoenc::UsageError);
    CHECK_THROWS_AS(knn_weights(grid, 26), geoenc::UsageError);
}

TEST_CASE("distance band on the sphere: binary and inverse distance") {
    const auto pts = random_sphere(400, 11);
    const double D = 1500.0;
    const auto b = distance_band_weights(pts, D, true, -1.0, 2);
    const auto inv = distance_band_weights(pts, D, false, -2.0, 2);
    CHECK(b.neighbors == inv.neighbors);
    for (int i = 0; i < 400; ++i) {
        std::vector<int> expect;
        for (int j = 0; j < 400; ++j)
            if (j != i && great_circle_km(pts.x[i], pts.y[i], pts.x[j], pts.y[j]) <= D) expect.push_back(j);
        CHECK(std::vector<int>(b.neighbors.begin() + b.offsets[i], b.neighbors.begin() + b.offsets[i + 1]) == expect);
        for (auto e = inv.offsets[i]; e < inv.offsets[i + 1]; ++e) {
            const int j = inv.neighbors[e];
            const double d = great_circle_km(pts.x[i], pts.y[i], pts.x[j], pts.y[j]);
            CHECK(inv.values[e] == doctest::Approx(std::pow(d, -2.0)).epsilon(1e-9));
        }
    }
    // two points 1 degree of latitude apart: 111.19508 km
    Coordinates two;
    two.x = {10, 10};
    two.y = {45, 46};
    CHECK(great_circle_km(10, 45, 10, 46) == doctest::Approx(6371.0088 * M_PI / 180).epsilon(1e-12));
    CHECK(distance_band_weights(two, 111.0).offsets.back() == 0);
    CHECK(distance_band_weights(two, 111.2).offsets.back() == 2);
    Coordinates same;
    same.x = {1, 1};
    same.y = {2, 2};
    // libpysal's DistanceBand: coincident observations are not neighbours,
    // binary or inverse distance
    CHECK(distance_band_weights(same, 5.0, false, -1.0).offsets.back() == 0);
    CHECK(distance_band_weights(same, 5.0).offsets.back() == 0);
}

TEST_CASE("transforms b and o: libpysal's binary B sets every weight to 1, o keeps them") {
    SpatialWeights w;
    w.n = 3;
    w.offsets = {0, 1, 3, 4};
    w.neighbors = {1, 0, 2, 1};
    w.values = {0.5, 0.5, 2.0, 2.0};
    const auto b = transform_weights(w, "b");
    CHECK(b.values == std::vector<double>{1, 1, 1, 1});
    CHECK(b.transform == "b");
    const auto o = transform_weights(w, "O");
    CHECK(o.values == w.values);
    CHECK(o.transform == "o");
    CHECK_THROWS_AS(transform_weights(b, "r"), geoenc::UsageError);  // needs the original weights
}

TEST_CASE("kernel weights as libpysal's Kernel") {
    // points on a line: 0, 1, 3, 6
    Coordinates line;
    line.metric = Metric::planar;
    line.x = {0, 1, 3, 6};
    line.y = {0, 0, 0, 0};
    const double eps = 1.0000001;
    SUBCASE("adaptive triangular, k = 2: the point itself and its 2 nearest") {
        KernelOptions o;
        o.fixed = false;
        o.k = 2;
        const auto w = kernel_weights(line, o);
        // point 0: neighbours 1 (d 1), 2 (d 3); bandwidth 3 * eps
        REQUIRE(w.cardinality(0) == 3);
        CHECK(w.neighbors[0] == 0);
        CHECK(w.values[0] == doctest::Approx(1.0));
        CHECK(w.values[1] == doctest::Approx(1 - 1 / (3 * eps)));
        CHECK(w.values[2] == doctest::Approx(1 - 3 / (3 * eps)));
        // point 3: neighbours 2 (d 3), 1 (d 5); bandwidth 5 * eps
        CHECK(w.values[w.offsets[3] + 1] == doctest::Approx(1 - 3 / (5 * eps)));
    }
    SUBCASE("fixed bandwidth from k = 1: the largest nearest-neighbour distance (3)") {
        KernelOptions o;
        o.k = 1;
        o.function = "quartic";
        const auto w = kernel_weights(line, o);
        const double bw = 3 * eps;
        // point 1 sees 0 (d 1), itself, 2 (d 2); not 3 (d 5)
        REQUIRE(w.cardinality(1) == 3);
        CHECK(w.neighbors[w.offsets[1]] == 0);
        CHECK(w.values[w.offsets[1]] == doctest::Approx(15.0 / 16 * std::pow(1 - std::pow(1 / bw, 2), 2)));
        CHECK(w.values[w.offsets[1] + 1] == doctest::Approx(15.0 / 16));
    }
    SUBCASE("given bandwidth, gaussian, diagonal") {
        KernelOptions o;
        o.bandwidth = 2.5;
        o.function = "gaussian";
        o.diagonal = true;
        const auto w = kernel_weights(line, o);
        REQUIRE(w.cardinality(0) == 2);  // itself and 1
        CHECK(w.values[0] == 1.0);
        CHECK(w.values[1] == doctest::Approx(std::exp(-0.5 * 0.16) / std::sqrt(2 * M_PI)));
        CHECK(w.cardinality(3) == 1);  // only itself
    }
    CHECK(kernel_value("epanechnikov", 0.5) == doctest::Approx(0.75 * 0.75));
    CHECK(kernel_value("uniform", 0.9) == 0.5);
    CHECK_THROWS_AS(kernel_value("cosine", 0.1), geoenc::UsageError);
}
