#include "ot/ground_cost.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "core/parallel_blocks.h"
#include "ot/fast_asin.h"

namespace geoenc::ot {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;
}  // namespace

double haversine_km(double lon1, double lat1, double lon2, double lat2, double radius_km) {
    const double p1 = lat1 * kDeg, p2 = lat2 * kDeg;
    const double sdp = std::sin((p2 - p1) / 2.0);
    const double sdl = std::sin((lon2 - lon1) * kDeg / 2.0);
    double h = sdp * sdp + std::cos(p1) * std::cos(p2) * sdl * sdl;
    h = std::min(1.0, std::max(0.0, h));
    return 2.0 * radius_km * std::asin(std::sqrt(h));
}

UnitVectors to_unit_vectors(const std::vector<double>& lon_deg, const std::vector<double>& lat_deg) {
    if (lon_deg.size() != lat_deg.size()) throw std::invalid_argument("to_unit_vectors: lon/lat sizes differ");
    UnitVectors u;
    const std::size_t n = lon_deg.size();
    u.x.resize(n);
    u.y.resize(n);
    u.z.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double lam = lon_deg[i] * kDeg, phi = lat_deg[i] * kDeg;
        const double cp = std::cos(phi);
        u.x[i] = cp * std::cos(lam);
        u.y[i] = cp * std::sin(lam);
        u.z[i] = std::sin(phi);
    }
    return u;
}

namespace {
// Central angle (radians) from the chord, well conditioned on the whole range:
// 2 asin(|x - y|/2) up to a chord of sqrt(2) (90 degrees), pi - 2 asin(|x + y|/2)
// beyond. Branch-free (both squares, then selects) so the loops below vectorise.
inline double central_angle(double ax, double ay, double az, double bx, double by, double bz) {
    const double dx = ax - bx, dy = ay - by, dz = az - bz;
    const double sx = ax + bx, sy = ay + by, sz = az + bz;
    const double q = dx * dx + dy * dy + dz * dz, qa = sx * sx + sy * sy + sz * sz;
    const bool near = q <= 2.0;
    const double c2 = near ? q : qa;
    const double a = 2.0 * asin_small(0.5 * std::sqrt(c2), 0.25 * c2);
    return near ? a : kPi - a;
}

// out[k] = (R * angle(a, b_{j0+k}))^p for the points b of one side.
__attribute__((target_clones("avx512f", "avx2", "default")))
void sphere_costs(double ax, double ay, double az, const double* bx, const double* by, const double* bz, std::size_t j0,
                  std::size_t j1, double radius, int p, double* out) {
    if (p == 1) {
        for (std::size_t j = j0; j < j1; ++j) out[j - j0] = radius * central_angle(ax, ay, az, bx[j], by[j], bz[j]);
    } else {
        for (std::size_t j = j0; j < j1; ++j) {
            const double d = radius * central_angle(ax, ay, az, bx[j], by[j], bz[j]);
            out[j - j0] = d * d;
        }
    }
}
}  // namespace

SphereCost::SphereCost(const UnitVectors& src, const UnitVectors& tgt, int p, double radius_km)
    : src_(src), tgt_(tgt), p_(p), radius_(radius_km) {
    if (p != 1 && p != 2) throw std::invalid_argument("SphereCost: p must be 1 or 2");
    if (!(radius_km > 0)) throw std::invalid_argument("SphereCost: radius must be positive");
}

void SphereCost::row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const {
    sphere_costs(src_.x[i], src_.y[i], src_.z[i], tgt_.x.data(), tgt_.y.data(), tgt_.z.data(), j0, j1, radius_, p_, out);
}

void SphereCost::col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const {
    // The angle is symmetric: column j is the costs from target j to the sources.
    sphere_costs(tgt_.x[j], tgt_.y[j], tgt_.z[j], src_.x.data(), src_.y.data(), src_.z.data(), i0, i1, radius_, p_, out);
}

DenseCost::DenseCost(CostMatrix values, std::size_t rows, std::size_t cols)
    : values_(std::move(values)), rows_(rows), cols_(cols) {
    if (values_.size() != rows * cols) throw std::invalid_argument("DenseCost: size is not rows*cols");
}
void DenseCost::row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const {
    std::copy(values_.begin() + static_cast<std::ptrdiff_t>(i * cols_ + j0),
              values_.begin() + static_cast<std::ptrdiff_t>(i * cols_ + j1), out);
}
void DenseCost::col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const {
    for (std::size_t i = i0; i < i1; ++i) out[i - i0] = values_[i * cols_ + j];
}

void ScaledCost::row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const {
    base_.row(i, j0, j1, out);
    for (std::size_t k = 0; k < j1 - j0; ++k) out[k] *= factor_;
}
void ScaledCost::col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const {
    base_.col(j, i0, i1, out);
    for (std::size_t k = 0; k < i1 - i0; ++k) out[k] *= factor_;
}

void SquaredCost::row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const {
    base_.row(i, j0, j1, out);
    for (std::size_t k = 0; k < j1 - j0; ++k) out[k] *= out[k];
}
void SquaredCost::col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const {
    base_.col(j, i0, i1, out);
    for (std::size_t k = 0; k < i1 - i0; ++k) out[k] *= out[k];
}

MixCost::MixCost(const CostFunction& c1, const CostFunction& c2, double lambda, double max1, double max2,
                 int threads)
    : c1_(c1), c2_(c2), lambda_(lambda), max1_(max1), max2_(max2) {
    if (c1.rows() != c2.rows() || c1.cols() != c2.cols()) throw std::invalid_argument("MixCost: shapes differ");
    if (!(lambda >= 0.0 && lambda <= 1.0)) throw std::invalid_argument("MixCost: lambda must be in [0, 1]");
    if (max1_ <= 0) max1_ = cost_max(c1, threads);
    if (max2_ <= 0) max2_ = cost_max(c2, threads);
    // An all-zero component contributes zero (avoid 0/0).
    if (!(max1_ > 0)) max1_ = 1.0;
    if (!(max2_ > 0)) max2_ = 1.0;
}

void MixCost::row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const {
    std::vector<double> tmp(j1 - j0);
    c1_.row(i, j0, j1, out);
    c2_.row(i, j0, j1, tmp.data());
    for (std::size_t k = 0; k < j1 - j0; ++k) out[k] = lambda_ * out[k] / max1_ + (1.0 - lambda_) * tmp[k] / max2_;
}
void MixCost::col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const {
    std::vector<double> tmp(i1 - i0);
    c1_.col(j, i0, i1, out);
    c2_.col(j, i0, i1, tmp.data());
    for (std::size_t k = 0; k < i1 - i0; ++k) out[k] = lambda_ * out[k] / max1_ + (1.0 - lambda_) * tmp[k] / max2_;
}

namespace {
// Per-row-block reduction, combined in block order (deterministic).
template <class Init, class Fold>
double reduce_rows(const CostFunction& c, int threads, double init, Fold fold) {
    const std::int64_t n = static_cast<std::int64_t>(c.rows());
    const std::size_t m = c.cols();
    const std::int64_t block = 16;
    const std::int64_t nblocks = (n + block - 1) / block;
    std::vector<double> part(static_cast<std::size_t>(std::max<std::int64_t>(nblocks, 0)), init);
    parallel_blocks(n, block, threads, [&](std::int64_t b, std::int64_t i0, std::int64_t i1, int) {
        std::vector<double> tile(std::min(m, kCostTile));
        double acc = init;
        for (std::int64_t i = i0; i < i1; ++i)
            for (std::size_t j0 = 0; j0 < m; j0 += kCostTile) {
                const std::size_t j1 = std::min(m, j0 + kCostTile);
                c.row(static_cast<std::size_t>(i), j0, j1, tile.data());
                for (std::size_t k = 0; k < j1 - j0; ++k) acc = fold(acc, tile[k]);
            }
        part[static_cast<std::size_t>(b)] = acc;
    });
    double acc = init;
    for (double v : part) acc = fold(acc, v);
    return acc;
}
struct Unused {};
}  // namespace

double cost_max(const CostFunction& c, int threads) {
    return reduce_rows<Unused>(c, threads, -std::numeric_limits<double>::infinity(),
                               [](double a, double b) { return std::max(a, b); });
}
double cost_min(const CostFunction& c, int threads) {
    return reduce_rows<Unused>(c, threads, std::numeric_limits<double>::infinity(),
                               [](double a, double b) { return std::min(a, b); });
}

CostMatrix materialize(const CostFunction& c, int threads) {
    const std::size_t n = c.rows(), m = c.cols();
    CostMatrix out(n * m);  // uninitialised: the rows below touch it first, in parallel
    parallel_blocks(static_cast<std::int64_t>(n), 16, threads, [&](std::int64_t, std::int64_t i0, std::int64_t i1, int) {
        for (std::int64_t i = i0; i < i1; ++i) c.row(static_cast<std::size_t>(i), 0, m, out.data() + i * m);
    });
    return out;
}

namespace {
// Number of entries <= t, streamed.
std::uint64_t count_le(const CostFunction& c, int threads, double t) {
    const std::int64_t n = static_cast<std::int64_t>(c.rows());
    const std::size_t m = c.cols();
    const std::int64_t block = 16;
    std::vector<std::uint64_t> part(static_cast<std::size_t>((n + block - 1) / block), 0);
    parallel_blocks(n, block, threads, [&](std::int64_t b, std::int64_t i0, std::int64_t i1, int) {
        std::vector<double> tile(std::min(m, kCostTile));
        std::uint64_t cnt = 0;
        for (std::int64_t i = i0; i < i1; ++i)
            for (std::size_t j0 = 0; j0 < m; j0 += kCostTile) {
                const std::size_t j1 = std::min(m, j0 + kCostTile);
                c.row(static_cast<std::size_t>(i), j0, j1, tile.data());
                for (std::size_t k = 0; k < j1 - j0; ++k) cnt += tile[k] <= t;
            }
        part[static_cast<std::size_t>(b)] = cnt;
    });
    std::uint64_t total = 0;
    for (auto v : part) total += v;
    return total;
}

// k-th smallest (0-based) by bisection on the value: the smallest t with
// count_le(t) >= k + 1, found to adjacent doubles (costs are finite, >= lo).
double kth_streaming(const CostFunction& c, int threads, std::uint64_t k, double lo, double hi) {
    // invariant: count_le(lo) < k+1 <= count_le(hi), or lo is below every entry.
    if (count_le(c, threads, lo) >= k + 1) return lo;
    while (true) {
        const double mid = lo + (hi - lo) / 2.0;
        if (mid <= lo || mid >= hi) return hi;
        if (count_le(c, threads, mid) >= k + 1)
            hi = mid;
        else
            lo = mid;
    }
}
}  // namespace

double cost_median(const CostFunction& c, int threads, std::size_t exact_store_limit) {
    const std::size_t total = c.rows() * c.cols();
    if (total == 0) throw std::invalid_argument("cost_median: empty cost");
    const std::size_t k1 = (total - 1) / 2, k2 = total / 2;
    if (total <= exact_store_limit) {
        CostMatrix v = materialize(c, threads);
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k2), v.end());
        const double hi = v[k2];
        if (k1 == k2) return hi;
        const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k2));
        return 0.5 * (lo + hi);
    }
    const double mn = cost_min(c, threads), mx = cost_max(c, threads);
    const double a = kth_streaming(c, threads, k1, mn, mx);
    const double b = k1 == k2 ? a : kth_streaming(c, threads, k2, a, mx);
    return 0.5 * (a + b);
}

}  // namespace geoenc::ot
