#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "ot/fast_exp.h"

using geoenc::ot::exp_nonpositive;

TEST_CASE("exp_nonpositive agrees with std::exp to a few ulp on [-708, 0]") {
    double worst = 0.0;
    for (int k = 0; k <= 200000; ++k) {
        const double x = -708.0 * k / 200000.0;
        const double want = std::exp(x);
        worst = std::max(worst, std::fabs(exp_nonpositive(x) - want) / want);
    }
    CHECK(worst < 1e-15);
    CHECK(exp_nonpositive(0.0) == 1.0);
}

TEST_CASE("exp_nonpositive flushes tiny results and -inf to 0") {
    CHECK(exp_nonpositive(-709.0) == 0.0);
    CHECK(exp_nonpositive(-1e300) == 0.0);
    CHECK(exp_nonpositive(-std::numeric_limits<double>::infinity()) == 0.0);
}
