#include "io/geodesic_cost.h"

#include <stdexcept>

namespace geoenc::io {

GeodesicCost::GeodesicCost(std::vector<double> src_lon, std::vector<double> src_lat, std::vector<double> tgt_lon,
                           std::vector<double> tgt_lat, int p)
    : slon_(std::move(src_lon)), slat_(std::move(src_lat)), tlon_(std::move(tgt_lon)), tlat_(std::move(tgt_lat)),
      p_(p) {
    if (slon_.size() != slat_.size() || tlon_.size() != tlat_.size())
        throw std::invalid_argument("GeodesicCost: lon/lat sizes differ");
    if (p != 1 && p != 2) throw std::invalid_argument("GeodesicCost: p must be 1 or 2");
    // geod_init fills file-level constants on its first call behind a plain flag;
    // pairs of geoenc-ot-distance --group-by build costs on several threads at once.
    static const bool constants_ready = [] {
        geod_geodesic g;
        geod_init(&g, 6378137.0, 1.0 / 298.257223563);
        return true;
    }();
    (void)constants_ready;
    geod_init(&g_, 6378137.0, 1.0 / 298.257223563);  // WGS84
}

double GeodesicCost::km(std::size_t i, std::size_t j) const {
    double s12 = 0.0;
    geod_inverse(&g_, slat_[i], slon_[i], tlat_[j], tlon_[j], &s12, nullptr, nullptr);
    const double d = s12 / 1000.0;
    return p_ == 1 ? d : d * d;
}

void GeodesicCost::row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const {
    for (std::size_t j = j0; j < j1; ++j) out[j - j0] = km(i, j);
}

void GeodesicCost::col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const {
    for (std::size_t i = i0; i < i1; ++i) out[i - i0] = km(i, j);
}

}  // namespace geoenc::io
