// Principal components by the cyclic Jacobi eigenvalue method: for the few
// hundred dimensions of an embedding it is fast enough, exact to rounding and
// deterministic, and needs no LAPACK in the tool.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "band_products.h"
#include "core/errors.h"

namespace geoenc::tools {

namespace {

// Eigen-decomposition of the symmetric d x d matrix a (destroyed): eigenvalues
// on return in a's diagonal, eigenvectors in the columns of v.
void jacobi_eigen(std::vector<double>& a, std::size_t d, std::vector<double>& v) {
    v.assign(d * d, 0.0);
    for (std::size_t i = 0; i < d; ++i) v[i * d + i] = 1.0;
    auto A = [&](std::size_t i, std::size_t j) -> double& { return a[i * d + j]; };
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0.0, diag = 0.0;
        for (std::size_t i = 0; i < d; ++i) {
            diag += A(i, i) * A(i, i);
            for (std::size_t j = i + 1; j < d; ++j) off += A(i, j) * A(i, j);
        }
        if (off <= 1e-30 * diag || off == 0.0) break;
        for (std::size_t p = 0; p + 1 < d; ++p)
            for (std::size_t q = p + 1; q < d; ++q) {
                const double apq = A(p, q);
                if (std::abs(apq) < 1e-300) continue;
                const double theta = (A(q, q) - A(p, p)) / (2.0 * apq);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1.0));
                const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
                for (std::size_t k = 0; k < d; ++k) {  // columns p, q
                    const double akp = A(k, p), akq = A(k, q);
                    A(k, p) = c * akp - s * akq;
                    A(k, q) = s * akp + c * akq;
                }
                for (std::size_t k = 0; k < d; ++k) {  // rows p, q
                    const double apk = A(p, k), aqk = A(q, k);
                    A(p, k) = c * apk - s * aqk;
                    A(q, k) = s * apk + c * aqk;
                }
                for (std::size_t k = 0; k < d; ++k) {
                    const double vkp = v[k * d + p], vkq = v[k * d + q];
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
    }
}

double percentile(std::vector<double> values, double pct) {  // by value: sorts a copy
    std::sort(values.begin(), values.end());
    const double pos = pct / 100.0 * double(values.size() - 1);
    const std::size_t i = std::size_t(pos);
    const double f = pos - double(i);
    return i + 1 < values.size() ? values[i] * (1.0 - f) + values[i + 1] * f : values.back();
}

}  // namespace

PcaFit fit_pca(const std::vector<double>& x, std::size_t n, std::size_t dim, int components) {
    if (n < 2) throw DataError("--mode pca: fewer than 2 sample locations to fit the components on");
    PcaFit fit;
    fit.samples = n;
    fit.mean.assign(dim, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < dim; ++k) fit.mean[k] += x[i * dim + k];
    for (double& m : fit.mean) m /= double(n);
    std::vector<double> cov(dim * dim, 0.0), centred(dim);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < dim; ++k) centred[k] = x[i * dim + k] - fit.mean[k];
        for (std::size_t a = 0; a < dim; ++a)
            for (std::size_t b = a; b < dim; ++b) cov[a * dim + b] += centred[a] * centred[b];
    }
    for (std::size_t a = 0; a < dim; ++a)
        for (std::size_t b = a; b < dim; ++b) cov[b * dim + a] = cov[a * dim + b] /= double(n - 1);
    std::vector<double> vecs;
    jacobi_eigen(cov, dim, vecs);
    std::vector<std::size_t> order(dim);
    std::iota(order.begin(), order.end(), 0);
    // Descending variance; ties keep dimension order, so the result is deterministic.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cov[a * dim + a] > cov[b * dim + b]; });
    for (std::size_t k = 0; k < dim; ++k) fit.total_variance += std::max(0.0, cov[k * dim + k]);
    const std::size_t K = std::min<std::size_t>(std::size_t(components), dim);
    for (std::size_t c = 0; c < K; ++c) {
        const std::size_t j = order[c];
        std::vector<double> w(dim);
        std::size_t big = 0;
        for (std::size_t k = 0; k < dim; ++k) {
            w[k] = vecs[k * dim + j];
            if (std::abs(w[k]) > std::abs(w[big])) big = k;
        }
        if (w[big] < 0)  // an eigenvector's sign is arbitrary: fix it so outputs are reproducible
            for (double& v : w) v = -v;
        fit.components.insert(fit.components.end(), w.begin(), w.end());
        fit.variance.push_back(std::max(0.0, cov[j * dim + j]));
    }
    return fit;
}

std::vector<std::pair<double, double>> pca_stretch(const PcaFit& fit, const std::vector<double>& x, std::size_t n,
                                                   double low_pct, double high_pct) {
    const std::size_t dim = fit.mean.size(), K = fit.variance.size();
    std::vector<std::pair<double, double>> out;
    for (std::size_t c = 0; c < K; ++c) {
        std::vector<double> scores(n);
        for (std::size_t i = 0; i < n; ++i) {
            double s = 0.0;
            for (std::size_t k = 0; k < dim; ++k) s += (x[i * dim + k] - fit.mean[k]) * fit.components[c * dim + k];
            scores[i] = s;
        }
        const double low = percentile(scores, low_pct), high = percentile(scores, high_pct);
        out.emplace_back(low, high);
    }
    return out;
}

}  // namespace geoenc::tools
