#include "ot/gibbs_kernel.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/parallel_blocks.h"
#include "ot/fast_exp.h"

namespace geoenc::ot {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// exp(x - max x) of one row, as floats; returns max x. Three simple loops, so
// that each vectorises.
__attribute__((target_clones("avx512f", "avx2", "default")))
double kernel_row(const double* x, std::size_t len, float* out) {
    constexpr std::size_t W = 8;
    double mx[W];
    for (std::size_t l = 0; l < W; ++l) mx[l] = kNegInf;
    std::size_t k0 = 0;
    for (; k0 + W <= len; k0 += W)
        for (std::size_t l = 0; l < W; ++l) mx[l] = x[k0 + l] > mx[l] ? x[k0 + l] : mx[l];
    for (; k0 < len; ++k0) mx[0] = x[k0] > mx[0] ? x[k0] : mx[0];
    const double top = *std::max_element(mx, mx + W);
    if (top == kNegInf) {
        for (std::size_t k = 0; k < len; ++k) out[k] = 0.0f;
        return top;
    }
    for (std::size_t k = 0; k < len; ++k) {
        const double v = exp_nonpositive(x[k] - top);
        out[k] = v < double(FLT_MIN) ? 0.0f : static_cast<float>(v);
    }
    return top;
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void exponents(const double* c, const double* g0, std::size_t len, double fi, double inv, double* x) {
    for (std::size_t k = 0; k < len; ++k) x[k] = (fi + g0[k] - c[k]) * inv;
}

// sum_j k_j v_j in 32 double lanes.
__attribute__((target_clones("avx512f", "avx2", "default")))
double row_dot(const float* k, const double* v, std::size_t m) {
    constexpr std::size_t W = 32;
    double acc[W] = {};
    std::size_t j = 0;
    for (; j + W <= m; j += W)
        for (std::size_t l = 0; l < W; ++l) acc[l] += double(k[j + l]) * v[j + l];
    for (; j < m; ++j) acc[0] += double(k[j]) * v[j];
    double s = 0.0;
    for (std::size_t l = 0; l < W; ++l) s += acc[l];
    return s;
}

// out[k] = sum_i K(i, j0 + k) u_i for the columns [j0, j1), rows four at a time.
__attribute__((target_clones("avx512f", "avx2", "default")))
void col_dots(const float* K, std::size_t n, std::size_t m, std::size_t j0, std::size_t j1, const double* u,
              double* out) {
    const std::size_t w = j1 - j0;
    for (std::size_t k = 0; k < w; ++k) out[k] = 0.0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const float* k0 = K + i * m + j0;
        const float* k1 = k0 + m;
        const float* k2 = k1 + m;
        const float* k3 = k2 + m;
        const double u0 = u[i], u1 = u[i + 1], u2 = u[i + 2], u3 = u[i + 3];
        for (std::size_t k = 0; k < w; ++k)
            out[k] += (double(k0[k]) * u0 + double(k1[k]) * u1) + (double(k2[k]) * u2 + double(k3[k]) * u3);
    }
    for (; i < n; ++i) {
        const float* kr = K + i * m + j0;
        for (std::size_t k = 0; k < w; ++k) out[k] += double(kr[k]) * u[i];
    }
}

}  // namespace

void GibbsKernel::build(const CostFunction& C, const std::vector<double>& f0, const std::vector<double>& g0,
                        double eps, int threads) {
    rows_ = C.rows();
    cols_ = C.cols();
    k_.resize(rows_ * cols_);
    row_log_scale_.resize(rows_);
    const double inv = 1.0 / eps;
    parallel_blocks(static_cast<std::int64_t>(rows_), 8, threads, [&](std::int64_t, std::int64_t i0, std::int64_t i1, int) {
        std::vector<double> tile(std::min(cols_, kCostTile)), x(cols_);
        for (std::int64_t ii = i0; ii < i1; ++ii) {
            const std::size_t i = static_cast<std::size_t>(ii);
            for (std::size_t j0 = 0; j0 < cols_; j0 += kCostTile) {
                const std::size_t j1 = std::min(cols_, j0 + kCostTile);
                C.row(i, j0, j1, tile.data());
                exponents(tile.data(), g0.data() + j0, j1 - j0, f0[i], inv, x.data() + j0);
            }
            row_log_scale_[i] = kernel_row(x.data(), cols_, &k_[i * cols_]);
        }
    });
    f0_ = f0;
    g0_ = g0;
    eps_ = eps;
    valid_ = true;
}

void GibbsKernel::clear() {
    k_ = {};
    f0_ = {};
    g0_ = {};
    row_log_scale_ = {};
    valid_ = false;
}

bool GibbsKernel::covers(const std::vector<double>& pot, bool by_row) const {
    if (!valid_) return false;
    const std::vector<double>& base = by_row ? g0_ : f0_;
    if (pot.size() != base.size()) return false;
    const double lim = kMaxScaling * eps_;
    for (std::size_t j = 0; j < pot.size(); ++j) {
        const bool pinf = pot[j] == kNegInf, binf = base[j] == kNegInf;
        if (pinf != binf) return false;
        if (!pinf && !(std::fabs(pot[j] - base[j]) <= lim)) return false;
    }
    return true;
}

void GibbsKernel::lse(const std::vector<double>& pot, bool by_row, int threads, std::vector<double>& out) const {
    const double inv = 1.0 / eps_;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // A usable sum is positive and finite; anything else is left to the caller.
    auto log_of = [nan](double s) { return s > 0 && std::isfinite(s) ? std::log(s) : nan; };
    if (by_row) {
        // L_i = log(sum_j K_ij exp((g_j - g0_j)/eps)) + row_log_scale_i - f0_i/eps
        std::vector<double> v(cols_);
        for (std::size_t j = 0; j < cols_; ++j) v[j] = g0_[j] == kNegInf ? 0.0 : std::exp((pot[j] - g0_[j]) * inv);
        out.resize(rows_);
        parallel_blocks(static_cast<std::int64_t>(rows_), 8, threads, [&](std::int64_t, std::int64_t i0, std::int64_t i1, int) {
            for (std::int64_t ii = i0; ii < i1; ++ii) {
                const std::size_t i = static_cast<std::size_t>(ii);
                out[i] = f0_[i] == kNegInf ? kNegInf
                                           : log_of(row_dot(&k_[i * cols_], v.data(), cols_)) + row_log_scale_[i] - f0_[i] * inv;
            }
        });
        return;
    }
    // L_j = log(sum_i K_ij exp((f_i - f0_i)/eps + row_log_scale_i)) - g0_j/eps
    std::vector<double> u(rows_);
    for (std::size_t i = 0; i < rows_; ++i)
        u[i] = f0_[i] == kNegInf ? 0.0 : std::exp((pot[i] - f0_[i]) * inv + row_log_scale_[i]);
    out.resize(cols_);
    constexpr std::int64_t kColBlock = 512;
    parallel_blocks(static_cast<std::int64_t>(cols_), kColBlock, threads, [&](std::int64_t, std::int64_t j0, std::int64_t j1, int) {
        std::vector<double> s(std::size_t(j1 - j0));
        col_dots(k_.data(), rows_, cols_, std::size_t(j0), std::size_t(j1), u.data(), s.data());
        for (std::int64_t jj = j0; jj < j1; ++jj) {
            const std::size_t j = static_cast<std::size_t>(jj);
            out[j] = g0_[j] == kNegInf ? kNegInf : log_of(s[j - std::size_t(j0)]) - g0_[j] * inv;
        }
    });
}

}  // namespace geoenc::ot
