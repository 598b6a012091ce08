// The AVX-512 sine of SIREN's activations against double-precision sin.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/fast_sine.h"

TEST_CASE("sine_in_place is within 4 float ulps of sin over SIREN's range") {
    std::vector<float> x;
    for (int i = -400000; i <= 400000; ++i) x.push_back(float(i) * 5e-4f);  // -200 .. 200
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> u(-3000.0f, 3000.0f);
    for (int i = 0; i < 100000; ++i) x.push_back(u(rng));
    for (float v : {0.0f, -0.0f, 1e-30f, 3.14159265f, 1.5707964f, 99999.0f}) x.push_back(v);
    std::vector<float> y = x;
    geoenc::sine_in_place(y.data(), y.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double want = std::sin(double(x[i]));
        worst = std::max(worst, std::abs(double(y[i]) - want));
    }
    MESSAGE("worst absolute error " << worst);
    CHECK(worst <= 4 * 5.96e-8);  // 4 ulp of values near 1
}

TEST_CASE("sine_in_place: huge, infinite and NaN arguments take std::sin") {
    std::vector<float> x = {1e6f, -3e7f, std::numeric_limits<float>::infinity(), std::nanf(""), 0.5f};
    for (int i = 0; i < 20; ++i) x.push_back(1e6f + float(i));  // a whole vector out of range
    std::vector<float> y = x;
    geoenc::sine_in_place(y.data(), y.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(std::sin(x[i]))) CHECK(std::isnan(y[i]));
        else CHECK(y[i] == std::sin(x[i]));
    }
}
