#pragma once
// Longitudes folded into one turn, shared by the readers and the raster grid.
#include <cmath>

namespace geoenc::io {

// Longitude folded into [-180, 180).
inline double wrap_longitude(double lon) {
    if (lon >= -180.0 && lon < 180.0) return lon;
    const double w = lon - 360.0 * std::floor((lon + 180.0) / 360.0);
    return w >= 180.0 ? w - 360.0 : w;  // rounding can land on 180 exactly
}

}  // namespace geoenc::io
