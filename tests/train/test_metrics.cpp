#include <doctest/doctest.h>

#include <cmath>

#include "train/metrics.h"

using namespace geoenc::train;

TEST_CASE("classification scores as scikit-learn defines them") {
    // truth 0 0 1 2, predicted 0 1 1 0 (argmax of the rows below).
    const std::vector<double> p = {0.8, 0.1, 0.1,  0.3, 0.6, 0.1,  0.2, 0.7, 0.1,  0.5, 0.25, 0.25};
    const auto s = score_classification(p, 3, {0, 0, 1, 2});
    CHECK(s.n == 4);
    CHECK(s.accuracy == doctest::Approx(0.5));
    // sklearn f1_score(average='macro'): class 0: P=1/2 R=1/2 F=1/2; class 1: P=1/2 R=1 F=2/3; class 2: 0.
    CHECK(s.macro_f1 == doctest::Approx((0.5 + 2.0 / 3.0 + 0.0) / 3.0));
    CHECK(s.log_loss == doctest::Approx(-(std::log(0.8) + std::log(0.3) + std::log(0.7) + std::log(0.25)) / 4));
}

TEST_CASE("log-loss clips certain mistakes like scikit-learn") {
    const std::vector<double> p = {1.0, 0.0};
    const auto s = score_classification(p, 2, {1});
    CHECK(s.log_loss == doctest::Approx(-std::log(1e-15)).epsilon(1e-6));
}

TEST_CASE("regression scores") {
    const double pred[] = {1.0, 2.0, 4.0}, truth[] = {1.0, 3.0, 5.0};
    const auto s = score_regression(pred, truth, 3);
    CHECK(s.rmse == doctest::Approx(std::sqrt(2.0 / 3.0)));
    CHECK(s.mae == doctest::Approx(2.0 / 3.0));
    CHECK(s.r2 == doctest::Approx(1.0 - 2.0 / 8.0));  // mean 3: SS_tot 8, SS_res 2
}
