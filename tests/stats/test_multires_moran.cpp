// SXL's multi-resolution local Moran's I against the reference maps of 4 real 32x32 grids.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/errors.h"
#include "stats/moran_fixtures.h"
#include "stats/multires_moran.h"

using namespace geoenc::stats;

TEST_CASE("multi-resolution Moran: pooling, raw maps and the rescaled 3-level stack") {
    const auto x = geoenc::test::read_npy("moran/sxl_x.npy");  // (4,1,32,32)
    const auto x_d1 = geoenc::test::read_npy("moran/sxl_x_d1.npy");
    const auto x_d2 = geoenc::test::read_npy("moran/sxl_x_d2.npy");
    const auto raw32 = geoenc::test::read_npy("moran/sxl_raw_mi_32.npy");
    const auto raw16 = geoenc::test::read_npy("moran/sxl_raw_mi_16.npy");
    const auto raw8 = geoenc::test::read_npy("moran/sxl_raw_mi_8.npy");
    const auto stacked = geoenc::test::read_npy("moran/sxl_mres_stacked.npy");  // (4,3,32,32)
    REQUIRE(x.shape == std::vector<std::size_t>{4, 1, 32, 32});
    REQUIRE(stacked.shape == std::vector<std::size_t>{4, 3, 32, 32});
    double worst = 0;
    for (std::size_t g = 0; g < 4; ++g) {
        CAPTURE(g);
        const double* grid = x.values.data() + g * 1024;
        const auto d1 = average_pool2(grid, 32, 32);
        const auto d2 = average_pool2(d1.data(), 16, 16);
        for (std::size_t i = 0; i < 256; ++i) CHECK(d1[i] == x_d1.values[g * 256 + i]);
        for (std::size_t i = 0; i < 64; ++i) CHECK(d2[i] == x_d2.values[g * 64 + i]);
        // raw maps: the reference is float32, so compare to float32 precision of the map's scale
        auto check_raw = [](const std::vector<double>& mine, const double* ref, std::size_t n) {
            double scale = 0;
            for (std::size_t i = 0; i < n; ++i) scale = std::max(scale, std::fabs(ref[i]));
            for (std::size_t i = 0; i < n; ++i) CHECK(std::fabs(mine[i] - ref[i]) <= 1e-6 * scale);
        };
        check_raw(lattice_local_moran(grid, 32, 32), raw32.values.data() + g * 1024, 1024);
        check_raw(lattice_local_moran(d1.data(), 16, 16), raw16.values.data() + g * 256, 256);
        check_raw(lattice_local_moran(d2.data(), 8, 8), raw8.values.data() + g * 64, 64);
        const auto stack = multires_local_moran(grid, 32, 32);
        REQUIRE(stack.size() == 3 * 1024);
        for (std::size_t i = 0; i < 3 * 1024; ++i) {
            const double d = std::fabs(stack[i] - stacked.values[g * 3 * 1024 + i]);
            worst = std::max(worst, d);
            CHECK(d <= 1e-6);
        }
    }
    MESSAGE("largest difference from SXL's float32 maps: " << worst);
}

TEST_CASE("multi-resolution Moran: a constant grid gives zeros; sizes must be multiples of 4") {
    std::vector<double> flat(64, 3.0);
    const auto s = multires_local_moran(flat.data(), 8, 8);
    for (double v : s) CHECK(v == 0.0);
    CHECK_THROWS_AS(multires_local_moran(flat.data(), 6, 8), geoenc::UsageError);
    // a checkerboard: raw mi is the same magnitude everywhere in the interior
    std::vector<double> chess(64);
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c) chess[r * 8 + c] = (r + c) % 2;
    const auto mi = lattice_local_moran(chess.data(), 8, 8);
    CHECK(mi[9] == doctest::Approx(mi[18]));
}

TEST_CASE("multi-resolution Moran: nodata pixels take no part and stay nodata") {
    // 2 x 2 grid 1 2 / 3 NaN: mean 2, sd 1, z = -1 0 / 1 (0); sum z^2 = 2, n - 1 = 2
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double g[4] = {1, 2, 3, nan};
    const auto mi = lattice_local_moran(g, 2, 2);
    CHECK(mi[0] == doctest::Approx(-1.0));  // lag 0 + 1 (+ nothing from the hole)
    CHECK(mi[1] == doctest::Approx(0.0));
    CHECK(mi[2] == doctest::Approx(-1.0));
    CHECK(std::isnan(mi[3]));
    // one hole in a smooth 8 x 8 field: NaN there in all three maps, the rest
    // finite, spread over [-1, 1] (one NaN used to zero every map)
    std::vector<double> field(64);
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c) field[r * 8 + c] = std::sin(0.5 * r) + 0.3 * c + 0.1 * ((r * c) % 3);
    field[19] = nan;
    const auto stack = multires_local_moran(field.data(), 8, 8);
    for (int b = 0; b < 3; ++b) {
        double lo = 2, hi = -2;
        for (int i = 0; i < 64; ++i) {
            const double v = stack[b * 64 + i];
            if (i == 19) {
                CHECK(std::isnan(v));
                continue;
            }
            REQUIRE(std::isfinite(v));
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        if (b < 2) {  // the quarter map of an 8 x 8 grid is 2 x 2: too small to check its spread
            CHECK(lo == doctest::Approx(-1.0));
            CHECK(hi == doctest::Approx(1.0));
        }
    }
    std::vector<double> holes(64, nan);
    CHECK_THROWS_AS(multires_local_moran(holes.data(), 8, 8), geoenc::DataError);
}
