#include "stats/weights_builders.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <nanoflann.hpp>
#include <utility>

#include "core/errors.h"
#include "core/parallel_blocks.h"

namespace geoenc::stats {

namespace {

constexpr double kDeg = M_PI / 180.0;
constexpr double kKernelEps = 1.0000001;  // libpysal Kernel's eps

// Points as a flat array of `dim` coordinates (unit vectors on the sphere).
struct Cloud {
    std::vector<double> pts;
    std::size_t dim = 2;
    std::size_t kdtree_get_point_count() const { return pts.size() / dim; }
    double kdtree_get_pt(std::size_t i, std::size_t d) const { return pts[i * dim + d]; }
    template <class BBox>
    bool kdtree_get_bbox(BBox&) const { return false; }
};

using Tree2 = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, Cloud>, Cloud, 2, std::uint32_t>;
using Tree3 = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, Cloud>, Cloud, 3, std::uint32_t>;

// Keeps the `capacity` best (squared distance, index) pairs, ties by index.
// worstDist() is widened a little so that nanoflann's strict leaf test still
// offers points that tie with the current worst.
class TieKnnResult {
public:
    explicit TieKnnResult(std::size_t capacity) : capacity_(capacity) { items_.reserve(capacity + 1); }
    bool full() const { return items_.size() == capacity_; }
    std::size_t size() const { return items_.size(); }
    bool addPoint(double dist, std::uint32_t index) {
        const std::pair<double, std::uint32_t> item(dist, index);
        if (full() && !(item < items_.back())) return true;
        items_.insert(std::upper_bound(items_.begin(), items_.end(), item), item);
        if (items_.size() > capacity_) items_.pop_back();
        return true;
    }
    double worstDist() const {
        if (!full()) return std::numeric_limits<double>::max();
        const double w = items_.back().first;
        return w * (1.0 + 1e-12) + 1e-300;
    }
    const std::vector<std::pair<double, std::uint32_t>>& items() const { return items_; }

private:
    std::size_t capacity_;
    std::vector<std::pair<double, std::uint32_t>> items_;
};

// All points with squared distance <= radius_sq (inclusive).
class InclusiveRadiusResult {
public:
    explicit InclusiveRadiusResult(double radius_sq) : radius_sq_(radius_sq) {}
    bool full() const { return true; }
    std::size_t size() const { return items.size(); }
    bool addPoint(double dist, std::uint32_t index) {
        if (dist <= radius_sq_) items.emplace_back(dist, index);
        return true;
    }
    double worstDist() const { return radius_sq_ * (1.0 + 1e-12) + 1e-300; }
    std::vector<std::pair<double, std::uint32_t>> items;

private:
    double radius_sq_;
};

// A kd-tree over the points and the conversions between the tree's squared
// (chord or Euclidean) distances and user distances (km or projected units).
class Index {
public:
    explicit Index(const Coordinates& p) : metric_(p.metric) {
        if (p.x.size() != p.y.size()) throw DataError("coordinates: x and y differ in length");
        n_ = p.x.size();
        if (n_ >= std::numeric_limits<std::uint32_t>::max()) throw DataError("coordinates: too many points");
        if (metric_ == Metric::sphere) {
            cloud_.dim = 3;
            cloud_.pts.resize(n_ * 3);
            for (std::size_t i = 0; i < n_; ++i) {
                if (!std::isfinite(p.x[i]) || !std::isfinite(p.y[i]) || std::fabs(p.y[i]) > 90.0)
                    throw DataError("coordinates: observation " + std::to_string(i) + " is not a valid lon/lat");
                const double lon = p.x[i] * kDeg, lat = p.y[i] * kDeg;
                cloud_.pts[3 * i] = std::cos(lat) * std::cos(lon);
                cloud_.pts[3 * i + 1] = std::cos(lat) * std::sin(lon);
                cloud_.pts[3 * i + 2] = std::sin(lat);
            }
            tree3_ = std::make_unique<Tree3>(3, cloud_, nanoflann::KDTreeSingleIndexAdaptorParams(16));
        } else {
            cloud_.dim = 2;
            cloud_.pts.resize(n_ * 2);
            for (std::size_t i = 0; i < n_; ++i) {
                if (!std::isfinite(p.x[i]) || !std::isfinite(p.y[i]))
                    throw DataError("coordinates: observation " + std::to_string(i) + " is not finite");
                cloud_.pts[2 * i] = p.x[i];
                cloud_.pts[2 * i + 1] = p.y[i];
            }
            tree2_ = std::make_unique<Tree2>(2, cloud_, nanoflann::KDTreeSingleIndexAdaptorParams(16));
        }
    }
    std::size_t size() const { return n_; }
    const double* point(std::size_t i) const { return &cloud_.pts[i * cloud_.dim]; }

    template <class Result>
    void search(std::size_t i, Result& result) const {
        if (tree3_) tree3_->findNeighbors(result, point(i), nanoflann::SearchParams(32, 0.0f, false));
        else tree2_->findNeighbors(result, point(i), nanoflann::SearchParams(32, 0.0f, false));
    }
    // squared tree distance -> user distance
    double distance(double sq) const {
        const double c = std::sqrt(std::max(0.0, sq));
        if (metric_ == Metric::planar) return c;
        return 2.0 * kEarthRadiusKm * std::asin(std::min(1.0, c / 2.0));
    }
    // user distance -> squared tree distance
    double squared(double d) const {
        if (metric_ == Metric::planar) return d * d;
        const double half = d / (2.0 * kEarthRadiusKm);
        if (half >= M_PI / 2) return 4.0;
        const double c = 2.0 * std::sin(half);
        return c * c;
    }

private:
    Metric metric_;
    std::size_t n_ = 0;
    Cloud cloud_;
    std::unique_ptr<Tree2> tree2_;
    std::unique_ptr<Tree3> tree3_;
};

// The k nearest others of point i: (distance, index), nearest first, ties by index.
std::vector<std::pair<double, std::uint32_t>> nearest_others(const Index& index, std::size_t i, int k) {
    TieKnnResult result(static_cast<std::size_t>(k) + 1);
    index.search(i, result);
    std::vector<std::pair<double, std::uint32_t>> out;
    out.reserve(static_cast<std::size_t>(k));
    for (const auto& [sq, j] : result.items()) {
        if (j == i) continue;
        if (out.size() == static_cast<std::size_t>(k)) break;
        out.emplace_back(index.distance(sq), j);
    }
    return out;
}

SpatialWeights from_rows(std::vector<std::vector<std::pair<std::int32_t, double>>>& rows) {
    SpatialWeights w;
    w.n = static_cast<std::int64_t>(rows.size());
    w.offsets.assign(rows.size() + 1, 0);
    for (std::size_t i = 0; i < rows.size(); ++i) w.offsets[i + 1] = w.offsets[i] + std::int64_t(rows[i].size());
    w.neighbors.reserve(static_cast<std::size_t>(w.offsets.back()));
    w.values.reserve(static_cast<std::size_t>(w.offsets.back()));
    for (auto& row : rows) {
        for (const auto& [j, v] : row) {
            w.neighbors.push_back(j);
            w.values.push_back(v);
        }
        std::vector<std::pair<std::int32_t, double>>().swap(row);
    }
    w.transform = "o";
    return w;
}

// Row i: points within `radius` of i (user units), sorted by index.
std::vector<std::pair<double, std::uint32_t>> within(const Index& index, std::size_t i, double radius) {
    InclusiveRadiusResult result(index.squared(radius) * (1.0 + 1e-9));
    index.search(i, result);
    std::vector<std::pair<double, std::uint32_t>> out;
    out.reserve(result.items.size());
    for (const auto& [sq, j] : result.items) {
        const double d = index.distance(sq);
        if (d <= radius) out.emplace_back(d, j);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return out;
}

}  // namespace

double great_circle_km(double lon1, double lat1, double lon2, double lat2) {
    const double p1 = lat1 * kDeg, p2 = lat2 * kDeg;
    const double dp = p2 - p1, dl = (lon2 - lon1) * kDeg;
    const double a = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2.0 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

SpatialWeights knn_weights(const Coordinates& points, int k, int threads) {
    const Index index(points);
    const auto n = static_cast<std::int64_t>(index.size());
    if (k < 1 || k >= n)
        throw UsageError("knn: k must be at least 1 and less than the number of observations (" +
                         std::to_string(n) + "), got " + std::to_string(k));
    SpatialWeights w;
    w.n = n;
    w.offsets.resize(static_cast<std::size_t>(n) + 1);
    for (std::int64_t i = 0; i <= n; ++i) w.offsets[i] = i * k;
    w.neighbors.resize(static_cast<std::size_t>(n * k));
    w.values.assign(static_cast<std::size_t>(n * k), 1.0);
    parallel_blocks(n, 2048, threads, [&](std::int64_t, std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t i = begin; i < end; ++i) {
            const auto row = nearest_others(index, static_cast<std::size_t>(i), k);
            for (int a = 0; a < k; ++a) w.neighbors[i * k + a] = static_cast<std::int32_t>(row[a].second);
        }
    });
    return w;
}

SpatialWeights distance_band_weights(const Coordinates& points, double threshold, bool binary, double alpha,
                                     int threads) {
    if (!(threshold > 0) || !std::isfinite(threshold))
        throw UsageError("distance band: the threshold must be a positive number");
    const Index index(points);
    const auto n = static_cast<std::int64_t>(index.size());
    std::vector<std::vector<std::pair<std::int32_t, double>>> rows(static_cast<std::size_t>(n));
    parallel_blocks(n, 1024, threads, [&](std::int64_t, std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t i = begin; i < end; ++i) {
            for (const auto& [d, j] : within(index, static_cast<std::size_t>(i), threshold)) {
                // libpysal's DistanceBand keeps only positive distances: coincident
                // observations are not neighbours (and no inverse distance is infinite)
                if (j == i || d == 0) continue;
                const double v = binary ? 1.0 : std::pow(d, alpha);
                rows[i].emplace_back(static_cast<std::int32_t>(j), v);
            }
        }
    });
    return from_rows(rows);
}

double kernel_value(const std::string& f, double z) {
    if (f == "triangular") return 1.0 - z;
    if (f == "uniform") return 0.5;
    if (f == "quadratic" || f == "epanechnikov") return 0.75 * (1.0 - z * z);
    if (f == "quartic") return (15.0 / 16.0) * (1.0 - z * z) * (1.0 - z * z);
    if (f == "gaussian") return std::exp(-z * z / 2.0) / std::sqrt(2.0 * M_PI);
    throw UsageError("kernel: unknown function '" + f +
                     "' (use triangular, uniform, quadratic, epanechnikov, quartic or gaussian)");
}

SpatialWeights kernel_weights(const Coordinates& points, const KernelOptions& o, int threads) {
    kernel_value(o.function, 0.0);  // validates the name
    const Index index(points);
    const auto n = static_cast<std::int64_t>(index.size());
    const bool need_k = !(o.fixed && o.bandwidth > 0);
    if (need_k && (o.k < 1 || o.k >= n))
        throw UsageError("kernel: k must be at least 1 and less than the number of observations (" +
                         std::to_string(n) + "), got " + std::to_string(o.k));
    if (o.bandwidth < 0 || !std::isfinite(o.bandwidth)) throw UsageError("kernel: bandwidth must be positive");
    std::vector<std::vector<std::pair<std::int32_t, double>>> rows(static_cast<std::size_t>(n));
    auto finish_row = [&](std::int64_t i, const std::vector<std::pair<double, std::uint32_t>>& nb, double bw) {
        auto& row = rows[i];
        row.reserve(nb.size());
        for (const auto& [d, j] : nb) {
            const double v = (o.diagonal && j == i) ? 1.0 : kernel_value(o.function, d / bw);
            row.emplace_back(static_cast<std::int32_t>(j), v);
        }
    };
    if (o.fixed) {
        double bw = o.bandwidth;
        if (!(bw > 0)) {
            std::vector<double> kth(static_cast<std::size_t>(n));
            parallel_blocks(n, 2048, threads, [&](std::int64_t, std::int64_t begin, std::int64_t end, int) {
                for (std::int64_t i = begin; i < end; ++i)
                    kth[i] = nearest_others(index, static_cast<std::size_t>(i), o.k).back().first;
            });
            bw = *std::max_element(kth.begin(), kth.end()) * kKernelEps;
        }
        parallel_blocks(n, 1024, threads, [&](std::int64_t, std::int64_t begin, std::int64_t end, int) {
            for (std::int64_t i = begin; i < end; ++i) {
                auto nb = within(index, static_cast<std::size_t>(i), bw);
                // the point itself always belongs to its row (at distance 0)
                bool has_self = false;
                for (auto& item : nb)
                    if (item.second == i) {
                        item.first = 0.0;
                        has_self = true;
                    }
                if (!has_self) {
                    nb.emplace_back(0.0, static_cast<std::uint32_t>(i));
                    std::sort(nb.begin(), nb.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
                }
                finish_row(i, nb, bw);
            }
        });
    } else {
        parallel_blocks(n, 2048, threads, [&](std::int64_t, std::int64_t begin, std::int64_t end, int) {
            for (std::int64_t i = begin; i < end; ++i) {
                auto nb = nearest_others(index, static_cast<std::size_t>(i), o.k);
                const double bw = nb.back().first * kKernelEps;
                nb.insert(nb.begin(), {0.0, static_cast<std::uint32_t>(i)});
                if (!(bw > 0))
                    throw DataError("kernel: observation " + std::to_string(i) + " has " + std::to_string(o.k) +
                                    " coincident neighbours, its adaptive bandwidth is zero");
                finish_row(i, nb, bw);
            }
        });
    }
    return from_rows(rows);
}

}  // namespace geoenc::stats
