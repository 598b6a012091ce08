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
    // Missing (NaN) pixels take no part: not in the mean, the deviation or
    // the sums, and they add nothing to their neighbours' lags.
    std::size_t valid = 0;
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isnan(grid[i])) {
            mean += grid[i];
            ++valid;
        }
    mean /= static_cast<double>(valid);
    double ss = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isnan(grid[i])) ss += (grid[i] - mean) * (grid[i] - mean);
    // SXL standardises z by the standard deviation first; mi does not depend on
    // that scale except that a zero deviation makes everything NaN.
    const double sd = std::sqrt(ss / static_cast<double>(valid > 1 ? valid - 1 : 1));
    std::vector<double> z(n);
    for (std::size_t i = 0; i < n; ++i) z[i] = std::isnan(grid[i]) ? 0.0 : (grid[i] - mean) / sd;
    double den = 0;
    for (double v : z) den += v * v;
    std::vector<double> mi(n);
    const double n_1 = static_cast<double>(valid) - 1.0;
    for (int r = 0; r < h; ++r)
        for (int c = 0; c < w; ++c) {
            const auto i = static_cast<std::size_t>(r) * w + c;
            if (std::isnan(grid[i])) {
                mi[i] = std::numeric_limits<double>::quiet_NaN();
                continue;
            }
            double lag = 0;
            for (int dr = -1; dr <= 1; ++dr)
                for (int dc = -1; dc <= 1; ++dc) {
                    if (dr == 0 && dc == 0) continue;
                    const int rr = r + dr, cc = c + dc;
                    if (rr < 0 || rr >= h || cc < 0 || cc >= w) continue;
                    lag += z[static_cast<std::size_t>(rr) * w + cc];
                }
            mi[i] = n_1 * z[i] * lag / den;
        }
    return mi;
}

void rescale_minus1_1(std::vector<double>& map, const double* missing_where) {
    auto missing = [&](std::size_t i) { return missing_where && std::isnan(missing_where[i]); };
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t i = 0; i < map.size(); ++i) {
        if (missing(i)) continue;
        double& v = map[i];
        if (std::isnan(v)) v = 0.0;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    for (std::size_t i = 0; i < map.size(); ++i)
        map[i] = missing(i) ? std::numeric_limits<double>::quiet_NaN() : hi > lo ? (map[i] - lo) / (hi - lo) * 2.0 - 1.0 : 0.0;
}

std::vector<double> average_pool2(const double* grid, int h, int w) {
    if (h % 2 || w % 2) throw UsageError("2x2 pooling needs an even grid size");
    const int h2 = h / 2, w2 = w / 2;
    std::vector<double> out(static_cast<std::size_t>(h2) * w2);
    for (int r = 0; r < h2; ++r)
        for (int c = 0; c < w2; ++c) {
            const auto a = static_cast<std::size_t>(2 * r) * w + 2 * c;
            const double v[4] = {grid[a], grid[a + 1], grid[a + w], grid[a + w + 1]};
            double& o = out[static_cast<std::size_t>(r) * w2 + c];
            o = (v[0] + v[1] + v[2] + v[3]) / 4.0;
            if (std::isnan(o)) {  // the mean of the pixels present; NaN when none is
                double sum = 0;
                int k = 0;
                for (double x : v)
                    if (!std::isnan(x)) {
                        sum += x;
                        ++k;
                    }
                o = k ? sum / k : std::numeric_limits<double>::quiet_NaN();
            }
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
    if (std::all_of(grid, grid + n, [](double v) { return std::isnan(v); }))
        throw DataError("multi-resolution Moran: every pixel is nodata");
    std::vector<double> out(3 * n);
    auto full = lattice_local_moran(grid, h, w);
    rescale_minus1_1(full, grid);
    std::copy(full.begin(), full.end(), out.begin());
    const auto d1 = average_pool2(grid, h, w);
    auto m1 = lattice_local_moran(d1.data(), h / 2, w / 2);
    rescale_minus1_1(m1, d1.data());
    const auto u1 = upsample_nearest(m1, h / 2, w / 2, 2);
    std::copy(u1.begin(), u1.end(), out.begin() + static_cast<std::ptrdiff_t>(n));
    const auto d2 = average_pool2(d1.data(), h / 2, w / 2);
    auto m2 = lattice_local_moran(d2.data(), h / 4, w / 4);
    rescale_minus1_1(m2, d2.data());
    const auto u2 = upsample_nearest(m2, h / 4, w / 4, 4);
    std::copy(u2.begin(), u2.end(), out.begin() + static_cast<std::ptrdiff_t>(2 * n));
    // nodata in, nodata out, at every resolution
    for (std::size_t i = 0; i < n; ++i)
        if (std::isnan(grid[i])) out[i + n] = out[i + 2 * n] = std::numeric_limits<double>::quiet_NaN();
    return out;
}

}  // namespace geoenc::stats
