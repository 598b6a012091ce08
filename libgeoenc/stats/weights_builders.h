#pragma once
// Distance-based spatial weights from point coordinates: k nearest neighbours,
// distance bands and kernels (libpysal's KNN, DistanceBand, Kernel). Points are
// lon/lat degrees on the sphere (great-circle km, R = 6371.0088; the search
// runs on a kd-tree of 3-D unit vectors) or projected x/y (Euclidean).
#include <string>
#include <vector>

#include "stats/spatial_weights.h"

namespace geoenc::stats {

constexpr double kEarthRadiusKm = 6371.0088;

enum class Metric { sphere, planar };

struct Coordinates {
    std::vector<double> x;  // longitude (degrees) on the sphere, easting when planar
    std::vector<double> y;  // latitude (degrees) on the sphere, northing when planar
    Metric metric = Metric::sphere;
};

// Great-circle distance in km between two lon/lat points (degrees).
double great_circle_km(double lon1, double lat1, double lon2, double lat2);

// Binary k-nearest-neighbour weights: each row holds the k nearest other
// observations, nearest first, ties broken by the lower index; the observation
// itself is excluded (coincident others are not). Needs 1 <= k < n.
SpatialWeights knn_weights(const Coordinates& points, int k, int threads = 0);

// Distance band: neighbours at distance <= threshold (km on the sphere),
// self excluded, rows in index order. binary: weight 1; otherwise d^alpha
// (inverse distance with alpha = -1; a zero distance with alpha < 0 is a
// DataError).
SpatialWeights distance_band_weights(const Coordinates& points, double threshold, bool binary = true,
                                     double alpha = -1.0, int threads = 0);

// libpysal's Kernel. function: triangular, uniform, quadratic (= epanechnikov),
// quartic, gaussian. fixed: one bandwidth for all (the given one, or the
// largest k-th-nearest-neighbour distance times 1.0000001) and neighbours are
// the points within it; adaptive (fixed = false): each point's bandwidth is
// its k-th-nearest-neighbour distance times 1.0000001 and its neighbours are
// those k points. Rows include the point itself (weight K(0)); diagonal = true
// sets that self weight to 1, as libpysal does.
struct KernelOptions {
    std::string function = "triangular";
    int k = 2;
    bool fixed = true;
    double bandwidth = 0;  // > 0: fixed bandwidth (km on the sphere); 0: from k
    bool diagonal = false;
};
SpatialWeights kernel_weights(const Coordinates& points, const KernelOptions& options, int threads = 0);

// Kernel value for a scaled distance z = d / bandwidth (libpysal's formulas).
double kernel_value(const std::string& function, double z);

}  // namespace geoenc::stats
