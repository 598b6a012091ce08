#pragma once
// The `geodesic` ground cost: distances in km on the WGS84 ellipsoid by PROJ's
// geodesic routines (Karney's algorithm, accurate to 15 nm). About 50 times
// dearer per pair than the spherical cost, so geoenc-ot-distance evaluates it
// once into a stored matrix where it fits.
#include <geodesic.h>

#include <vector>

#include "ot/ground_cost.h"

namespace geoenc::io {

class GeodesicCost : public ot::CostFunction {
public:
    // lon/lat in degrees; the vectors are copied. p: 1 (km) or 2 (km^2).
    GeodesicCost(std::vector<double> src_lon, std::vector<double> src_lat, std::vector<double> tgt_lon,
                 std::vector<double> tgt_lat, int p = 1);
    std::size_t rows() const override { return slon_.size(); }
    std::size_t cols() const override { return tlon_.size(); }
    void row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const override;
    void col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const override;

private:
    double km(std::size_t i, std::size_t j) const;
    geod_geodesic g_;
    std::vector<double> slon_, slat_, tlon_, tlat_;
    int p_;
};

}  // namespace geoenc::io
