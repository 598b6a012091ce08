#include "stats/multires_moran.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.h"

namespace geoenc::stats {

std::vector<double> lattice_local_moran(const double* grid, int h, int w) {
    if (h < 1 || w < 1) throw UsageError("multi-resolution Moran: the grid must not be empty");
    const std::size_t n = static_cast<std::size_t>(h) * static_cast<std::size_t>(w);
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i) mean += grid[i];
    mean /= static_cast<double>(n);
    double ss = 0;
    for (std::size_t i = 0; i < n; ++i) ss += (grid[i] - mean) * (grid[i] - mean);
    // SXL standardises z by the standard deviation first; mi does not depend on
    // that scale except that a zero deviation makes everything NaN.
    const double sd = std::sqrt(ss / static_cast<double>(n > 1 ? n - 1 : 1));
    std::vector<double> z(n);
    for (std::size_t i = 0; i < n; ++i) z[i] = (grid[i] - mean) / sd;
    double den = 0;
    for (double v : z) den += v * v;
    std::vector<double> mi(n);
    const double n_1 = static_cast<double>(n) - 1.0;
    for (int r = 0; r < h; ++r)
        for (int c = 0; c < w; ++c) {
            double lag = 0;
            for (int dr = -1; dr <= 1; ++dr)
                for (int dc = -1; dc <= 1; ++dc) {
                    if (dr == 0 && dc == 0) continue;
                    const int rr = r + dr, cc = c + dc;
                    if (rr < 0 || rr >= h || cc < 0 || cc >= w) continue;
                    lag += z[static_cast<std::size_t>(rr) * w + cc];
                }
            const auto i = static_cast<std::size_t>(r) * w + c;
            mi[i] = n_1 * z[i] * lag / den;
        }
    return mi;
}

void rescale_minus1_1(std::vector<double>& map) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (auto& v : map) {
        if (std::isnan(v)) v = 0.0;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (!(hi > lo)) {
        std::fill(map.begin(), map.end(), 0.0);
        return;
    }
    for (auto& v : map) v = (v - lo) / (hi - lo) * 2.0 - 1.0;
}

std::vector<double> average_pool2(const double* grid, int h, int w) {
    if (h % 2 || w % 2) throw UsageError("2x2 pooling needs an even grid size");
    const int h2 = h / 2, w2 = w / 2;
    std::vector<double> out(static_cast<std::size_t>(h2) * w2);
    for (int r = 0; r < h2; ++r)
        for (int c = 0; c < w2; ++c) {
            const auto a = static_cast<std::size_t>(2 * r) * w + 2 * c;
            out[static_cast<std::size_t>(r) * w2 + c] = (grid[a] + grid[a + 1] + grid[a + w] + grid[a + w + 1]) / 4.0;
        }
    return out;
}

std::vector<double> upsample_nearest(const std::vector<double>& grid, int h, int w, int factor) {
    const int H = h * factor, W = w * factor;
    std::vector<double> out(static_cast<std::size_t>(H) * W);
    for (int r = 0; r < H; ++r)
        for (int c = 0; c < W; ++c)
            out[static_cast<std::size_t>(r) * W + c] = grid[static_cast<std::size_t>(r / factor) * w + c / factor];
    return out;
}

std::vector<double> multires_local_moran(const double* grid, int h, int w) {
    if (h < 4 || w < 4 || h % 4 || w % 4)
        throw UsageError("multi-resolution Moran: the grid size must be a positive multiple of 4, got " +
                         std::to_string(h) + " x " + std::to_string(w));
    const std::size_t n = static_cast<std::size_t>(h) * w;
    std::vector<double> out(3 * n);
    auto full = lattice_local_moran(grid, h, w);
    rescale_minus1_1(full);
    std::copy(full.begin(), full.end(), out.begin());
    const auto d1 = average_pool2(grid, h, w);
    auto m1 = lattice_local_moran(d1.data(), h / 2, w / 2);
    rescale_minus1_1(m1);
    const auto u1 = upsample_nearest(m1, h / 2, w / 2, 2);
    std::copy(u1.begin(), u1.end(), out.begin() + static_cast<std::ptrdiff_t>(n));
    const auto d2 = average_pool2(d1.data(), h / 2, w / 2);
    auto m2 = lattice_local_moran(d2.data(), h / 4, w / 4);
    rescale_minus1_1(m2);
    const auto u2 = upsample_nearest(m2, h / 4, w / 4, 4);
    std::copy(u2.begin(), u2.end(), out.begin() + static_cast<std::ptrdiff_t>(2 * n));
    return out;
}

}  // namespace geoenc::stats
