#pragma once
// Scores of predictions against known targets, with scikit-learn's definitions
// (what users compare with): accuracy, macro-F1 over the classes present in
// the truth or the predictions, log-loss with probabilities clipped to
// [1e-15, 1 - 1e-15]; RMSE, MAE and R^2 = 1 - SS_res / SS_tot. Torch-free.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace geoenc::train {

struct ClassificationScores {
    std::size_t n = 0;
    double accuracy = 0, macro_f1 = 0, log_loss = 0;
};

struct RegressionScores {
    std::size_t n = 0;
    double rmse = 0, mae = 0, r2 = 0;
};

// probabilities: n x k, row-major; truth: class indices < k.
ClassificationScores score_classification(const std::vector<double>& probabilities, std::size_t k,
                                          const std::vector<int64_t>& truth);
ClassificationScores score_classification(const double* probabilities, std::size_t k, const int64_t* truth,
                                          std::size_t n);
RegressionScores score_regression(const double* predicted, const double* truth, std::size_t n);

}  // namespace geoenc::train
