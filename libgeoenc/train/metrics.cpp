#include "train/metrics.h"

#include <algorithm>
#include <cmath>

#include "core/prediction_head.h"

namespace geoenc::train {

ClassificationScores score_classification(const double* p, std::size_t k, const int64_t* truth, std::size_t n) {
    ClassificationScores s;
    s.n = n;
    if (n == 0) return s;
    std::vector<double> tp(k, 0), fp(k, 0), fn(k, 0);
    std::vector<bool> present(k, false);
    double correct = 0, loss = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double* row = p + i * k;
        const std::size_t pred = argmax(row, k), t = std::size_t(truth[i]);
        present[pred] = present[t] = true;
        if (pred == t) {
            ++correct;
            ++tp[t];
        } else {
            ++fp[pred];
            ++fn[t];
        }
        // sklearn renormalises each row after clipping.
        double z = 0;
        for (std::size_t c = 0; c < k; ++c) z += std::clamp(row[c], 1e-15, 1 - 1e-15);
        loss -= std::log(std::clamp(row[t], 1e-15, 1 - 1e-15) / z);
    }
    double f1 = 0;
    std::size_t classes = 0;
    for (std::size_t c = 0; c < k; ++c) {
        if (!present[c]) continue;
        ++classes;
        const double denom = 2 * tp[c] + fp[c] + fn[c];
        f1 += denom > 0 ? 2 * tp[c] / denom : 0.0;
    }
    s.accuracy = correct / double(n);
    s.macro_f1 = classes ? f1 / double(classes) : 0.0;
    s.log_loss = loss / double(n);
    return s;
}

ClassificationScores score_classification(const std::vector<double>& p, std::size_t k, const std::vector<int64_t>& truth) {
    return score_classification(p.data(), k, truth.data(), truth.size());
}

RegressionScores score_regression(const double* predicted, const double* truth, std::size_t n) {
    RegressionScores s;
    s.n = n;
    if (n == 0) return s;
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i) mean += truth[i];
    mean /= double(n);
    double sse = 0, sae = 0, sst = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double e = predicted[i] - truth[i];
        sse += e * e;
        sae += std::abs(e);
        sst += (truth[i] - mean) * (truth[i] - mean);
    }
    s.rmse = std::sqrt(sse / double(n));
    s.mae = sae / double(n);
    // sklearn: a constant truth scores 1 when predicted exactly, else 0.
    s.r2 = sst > 0 ? 1.0 - sse / sst : (sse == 0 ? 1.0 : 0.0);
    return s;
}

}  // namespace geoenc::train
