#pragma once
// Ground costs for optimal transport, evaluated on the fly in tiles: no N x M
// matrix exists unless materialize() is asked for one, so memory is O(N + M).
//
// SphereCost: great-circle distance in km between 3-D unit vectors, raised to
// the power p (1 or 2). It uses the chord c = |x - y|: d = 2R asin(c/2) when
// c <= sqrt(2), and d = pi R - 2R asin(|x + y|/2) beyond (both branches are
// well conditioned, also near antipodes). haversine_km() is the textbook
// haversine form, for spot checks and single pairs.
//
// MixCost: the GeoSpOT combination lambda*C1/max(C1) + (1-lambda)*C2/max(C2)
// over any two CostFunctions of the same shape.
#include <cstddef>
#include <memory>
#include <vector>

#include "ot/matrix_allocator.h"

namespace geoenc::ot {

constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius

// Haversine great-circle distance in km between (lon, lat) pairs in degrees:
// 2R asin(sqrt(clip(sin^2(dlat/2) + cos lat1 cos lat2 sin^2(dlon/2), 0, 1))).
double haversine_km(double lon1, double lat1, double lon2, double lat2, double radius_km = kEarthRadiusKm);

// Points as 3-D unit vectors, structure of arrays.
struct UnitVectors {
    std::vector<double> x, y, z;
    std::size_t size() const { return x.size(); }
};
UnitVectors to_unit_vectors(const std::vector<double>& lon_deg, const std::vector<double>& lat_deg);

// A rows() x cols() cost matrix evaluated on demand. Implementations must be
// safe to call from several threads at once.
class CostFunction {
public:
    virtual ~CostFunction() = default;
    virtual std::size_t rows() const = 0;
    virtual std::size_t cols() const = 0;
    // out[k] = C(i, j0 + k) for j0 <= j0 + k < j1.
    virtual void row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const = 0;
    // out[k] = C(i0 + k, j) for i0 <= i0 + k < i1.
    virtual void col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const = 0;
    double operator()(std::size_t i, std::size_t j) const {
        double v;
        row(i, j, j + 1, &v);
        return v;
    }
};

// Great-circle km between src[i] and tgt[j], to the power p (1 or 2).
// Keeps references to the vectors: they must outlive the cost.
class SphereCost : public CostFunction {
public:
    SphereCost(const UnitVectors& src, const UnitVectors& tgt, int p = 1, double radius_km = kEarthRadiusKm);
    std::size_t rows() const override { return src_.size(); }
    std::size_t cols() const override { return tgt_.size(); }
    void row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const override;
    void col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const override;
    int p() const { return p_; }
    double radius_km() const { return radius_; }

private:
    const UnitVectors& src_;
    const UnitVectors& tgt_;
    int p_;
    double radius_;
};

using CostMatrix = std::vector<double, UninitializedAllocator<double>>;

// A stored row-major matrix (embedding costs of small problems, tests).
class DenseCost : public CostFunction {
public:
    DenseCost(CostMatrix values, std::size_t rows, std::size_t cols);
    DenseCost(const std::vector<double>& values, std::size_t rows, std::size_t cols)
        : DenseCost(CostMatrix(values.begin(), values.end()), rows, cols) {}
    std::size_t rows() const override { return rows_; }
    std::size_t cols() const override { return cols_; }
    void row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const override;
    void col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const override;
    const CostMatrix& values() const { return values_; }

private:
    CostMatrix values_;
    std::size_t rows_, cols_;
};

// factor * C (for instance C / max C).
class ScaledCost : public CostFunction {
public:
    ScaledCost(const CostFunction& base, double factor) : base_(base), factor_(factor) {}
    std::size_t rows() const override { return base_.rows(); }
    std::size_t cols() const override { return base_.cols(); }
    void row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const override;
    void col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const override;

private:
    const CostFunction& base_;
    double factor_;
};

// C^2 of any base cost (W2 on costs that have no power of their own).
class SquaredCost : public CostFunction {
public:
    explicit SquaredCost(const CostFunction& base) : base_(base) {}
    std::size_t rows() const override { return base_.rows(); }
    std::size_t cols() const override { return base_.cols(); }
    void row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const override;
    void col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const override;

private:
    const CostFunction& base_;
};

// lambda*C1/max1 + (1-lambda)*C2/max2. max1/max2 <= 0: computed with cost_max().
class MixCost : public CostFunction {
public:
    MixCost(const CostFunction& c1, const CostFunction& c2, double lambda, double max1 = 0.0, double max2 = 0.0,
            int threads = 0);
    std::size_t rows() const override { return c1_.rows(); }
    std::size_t cols() const override { return c1_.cols(); }
    void row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const override;
    void col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const override;
    double max1() const { return max1_; }
    double max2() const { return max2_; }

private:
    const CostFunction& c1_;
    const CostFunction& c2_;
    double lambda_, max1_, max2_;
};

// Tile width (columns or rows) of the on-the-fly loops.
constexpr std::size_t kCostTile = 512;

// Streaming reductions over all N*M entries (no matrix stored).
double cost_max(const CostFunction& c, int threads = 0);
double cost_min(const CostFunction& c, int threads = 0);

// numpy.median of all N*M entries (mean of the two middle values when N*M is
// even). Rule: when N*M <= exact_store_limit the entries are stored and
// selected with nth_element (exact); otherwise a streaming bisection on the
// value counts (64 passes over the cost, no storage) finds the order
// statistics to the last bit as well, only slower.
double cost_median(const CostFunction& c, int threads = 0, std::size_t exact_store_limit = std::size_t(1) << 26);

// The full row-major matrix, only when asked.
CostMatrix materialize(const CostFunction& c, int threads = 0);

}  // namespace geoenc::ot
