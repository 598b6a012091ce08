#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "ot/fast_asin.h"
#include "ot/ground_cost.h"

using namespace geoenc::ot;

TEST_CASE("asin_small agrees with asinl to 4.5e-16 relative on [0, 1/sqrt(2)]") {
    double worst = 0.0;
    const int n = 200000;
    for (int k = 1; k <= n; ++k) {
        const double s = std::sqrt(0.5) * double(k) / n;
        const long double want = asinl(static_cast<long double>(s));
        worst = std::max(worst, double(std::fabs((asin_small(s, s * s) - want) / want)));
    }
    CHECK(worst <= 4.5e-16);
    CHECK(asin_small(0.0, 0.0) == 0.0);
}

TEST_CASE("sphere cost rows and columns equal the libm central angle to 1e-14 relative") {
    // Random pairs over the whole sphere (near and far branches, antipodes,
    // coincident points), rows and columns against 2 asin(|x-y|/2) / pi - 2 asin(|x+y|/2).
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lon(-180, 180), z(-1, 1);
    std::vector<double> lo, la;
    for (int i = 0; i < 300; ++i) {
        lo.push_back(lon(rng));
        la.push_back(std::asin(z(rng)) * 180.0 / M_PI);
    }
    lo.push_back(lo[0]), la.push_back(la[0]);                            // the same point
    lo.push_back(lo[1] > 0 ? lo[1] - 180 : lo[1] + 180), la.push_back(-la[1]);  // an antipode
    const UnitVectors u = to_unit_vectors(lo, la);
    const std::size_t n = u.size();
    CHECK(SphereCost(u, u)(1, n - 1) == doctest::Approx(M_PI * kEarthRadiusKm).epsilon(1e-15));
    CHECK(SphereCost(u, u)(0, n - 2) == 0.0);
    for (int p : {1, 2}) {
        const SphereCost C(u, u, p);
        std::vector<double> row(n), col(n);
        double worst = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            C.row(i, 0, n, row.data());
            C.col(i, 0, n, col.data());
            for (std::size_t j = 0; j < n; ++j) {
                const long double dx = u.x[i] - u.x[j], dy = u.y[i] - u.y[j], dz = u.z[i] - u.z[j];
                const long double sx = u.x[i] + u.x[j], sy = u.y[i] + u.y[j], sz = u.z[i] + u.z[j];
                const long double q = dx * dx + dy * dy + dz * dz, qa = sx * sx + sy * sy + sz * sz;
                const long double ang = q <= 2 ? 2 * asinl(sqrtl(q) / 2) : M_PIl - 2 * asinl(sqrtl(qa) / 2);
                const long double d = kEarthRadiusKm * ang, want = p == 1 ? d : d * d;
                const double scale = p == 1 ? 1.0 : double(kEarthRadiusKm * M_PI);  // p = 2: relative to d * pi R
                worst = std::max(worst, double(std::fabs(row[j] - want) / (std::max(1.0L, want) * scale)));
                CHECK(col[j] == row[j]);  // symmetric: C(i, j) = C(j, i) bit for bit
            }
        }
        CAPTURE(p);
        CHECK(worst <= 1e-14);
    }
}
