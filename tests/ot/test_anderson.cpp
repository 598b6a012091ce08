#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ot/anderson.h"

using geoenc::ot::AndersonMixer;

namespace {
// A slow linear contraction x <- M x + c (M = 0.95 * a rotation-free mix of
// neighbours) with a known fixed point x* = (I - M)^-1 c, here built so x* = 1.
std::vector<double> apply(const std::vector<double>& x) {
    const std::size_t n = x.size();
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double left = x[(i + n - 1) % n], right = x[(i + 1) % n];
        y[i] = 0.95 * (0.5 * x[i] + 0.25 * (left + right)) + 0.05;  // fixed point: all ones
    }
    return y;
}
double distance_to_ones(const std::vector<double>& x) {
    double d = 0.0;
    for (double v : x) d = std::max(d, std::fabs(v - 1.0));
    return d;
}
}  // namespace

TEST_CASE("Anderson mixing reaches a slow contraction's fixed point in far fewer steps") {
    const std::size_t n = 50;
    std::vector<double> start(n);
    for (std::size_t i = 0; i < n; ++i) start[i] = std::sin(double(i));
    std::vector<double> plain = start, mixed = start;
    AndersonMixer mixer(16);
    int plain_steps = 0, mixed_steps = 0;
    while (distance_to_ones(plain) > 1e-10 && plain_steps < 10000) plain = apply(plain), ++plain_steps;
    while (distance_to_ones(mixed) > 1e-10 && mixed_steps < 10000) {
        const std::vector<double> t = apply(mixed);
        mixer.step(mixed, t);
        ++mixed_steps;
    }
    CAPTURE(plain_steps);
    CAPTURE(mixed_steps);
    CHECK(plain_steps > 300);
    CHECK(mixed_steps < plain_steps / 5);
}

TEST_CASE("Anderson mixing: the first step and a reset are plain steps; non-finite entries are copied") {
    AndersonMixer mixer(4);
    std::vector<double> x{0.0, 1.0, 2.0};
    const std::vector<double> t1{1.0, 1.5, -std::numeric_limits<double>::infinity()};
    CHECK(mixer.step(x, t1) == 1);
    CHECK(x[0] == 1.0);
    CHECK(std::isinf(x[2]));
    const std::vector<double> t2{1.2, 1.4, -std::numeric_limits<double>::infinity()};
    CHECK(mixer.step(x, t2) == 2);
    CHECK(std::isfinite(x[0]));
    CHECK(std::isinf(x[2]));  // a zero mass keeps its -inf potential
    mixer.reset();
    const std::vector<double> t3{5.0, 6.0, -std::numeric_limits<double>::infinity()};
    CHECK(mixer.step(x, t3) == 1);
    CHECK(x[0] == 5.0);
    CHECK(x[1] == 6.0);
}
