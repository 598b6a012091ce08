#pragma once
// Queen and rook contiguity from polygon geometries, as PySAL's
// libpysal.weights.Queen/Rook build them: by exact vertex matching, not by
// geometric intersection. Queen: two polygons share at least one vertex. Rook:
// they share an edge, i.e. two consecutive vertices of a ring of each. With a
// snapping tolerance, vertices closer than it (transitively) count as one.
#include <ogr_geometry.h>

#include <string>
#include <vector>

#include "stats/spatial_weights.h"

namespace geoenc::io {

enum class Contiguity { Queen, Rook };

// geometries[i] is observation i (null or empty: an island). Coordinates and
// `snap` are in layer units. The result is binary ("b"), symmetric, each row's
// neighbours in ascending order; ids are left empty.
stats::SpatialWeights polygon_contiguity(const std::vector<const OGRGeometry*>& geometries, Contiguity kind,
                                         double snap = 0.0);

}  // namespace geoenc::io
