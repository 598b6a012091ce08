#include "ot/anderson.h"

#include <cmath>
#include <utility>

namespace geoenc::ot {

namespace {

// Solves G alpha = 1 (G symmetric positive semi-definite, h x h, h small) by
// Gaussian elimination with partial pivoting; G is regularised by the caller.
std::vector<double> solve_ones(std::vector<double> G, std::size_t h) {
    std::vector<double> alpha(h, 1.0);
    for (std::size_t c = 0; c < h; ++c) {
        std::size_t piv = c;
        for (std::size_t r = c + 1; r < h; ++r)
            if (std::fabs(G[r * h + c]) > std::fabs(G[piv * h + c])) piv = r;
        if (piv != c) {
            for (std::size_t q = 0; q < h; ++q) std::swap(G[c * h + q], G[piv * h + q]);
            std::swap(alpha[c], alpha[piv]);
        }
        for (std::size_t r = c + 1; r < h; ++r) {
            const double f = G[r * h + c] / G[c * h + c];
            for (std::size_t q = c; q < h; ++q) G[r * h + q] -= f * G[c * h + q];
            alpha[r] -= f * alpha[c];
        }
    }
    for (std::size_t c = h; c-- > 0;) {
        double v = alpha[c];
        for (std::size_t q = c + 1; q < h; ++q) v -= G[c * h + q] * alpha[q];
        alpha[c] = v / G[c * h + c];
    }
    return alpha;
}

}  // namespace

void AndersonMixer::reset() {
    images_.clear();
    residuals_.clear();
}

std::size_t AndersonMixer::step(std::vector<double>& x, const std::vector<double>& tx) {
    const std::size_t n = x.size();
    std::vector<double> res(n);
    for (std::size_t i = 0; i < n; ++i) res[i] = std::isfinite(tx[i]) ? tx[i] - x[i] : 0.0;
    images_.push_back(tx);
    residuals_.push_back(std::move(res));
    if (images_.size() > depth_) {
        images_.erase(images_.begin());
        residuals_.erase(residuals_.begin());
    }
    const std::size_t h = images_.size();
    if (h == 1) {
        x = tx;
        return 1;
    }
    std::vector<double> G(h * h);
    double trace = 0.0;
    for (std::size_t k = 0; k < h; ++k)
        for (std::size_t l = 0; l <= k; ++l) {
            double d = 0.0;
            for (std::size_t i = 0; i < n; ++i) d += residuals_[k][i] * residuals_[l][i];
            G[k * h + l] = G[l * h + k] = d;
            if (k == l) trace += d;
        }
    // Tikhonov: nearly parallel residuals (late in the iteration) stay solvable.
    for (std::size_t k = 0; k < h; ++k) G[k * h + k] += 1e-10 * trace / double(h) + 1e-300;
    const std::vector<double> alpha = solve_ones(std::move(G), h);
    double sum = 0.0;
    for (double v : alpha) sum += v;
    if (!std::isfinite(sum) || sum == 0.0) {  // degenerate: a plain step, a fresh start
        x = tx;
        reset();
        return 1;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(tx[i])) {
            x[i] = tx[i];
            continue;
        }
        double v = 0.0;
        for (std::size_t k = 0; k < h; ++k) v += alpha[k] / sum * images_[k][i];
        x[i] = v;
    }
    return h;
}

}  // namespace geoenc::ot
