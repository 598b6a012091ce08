#pragma once
// --mask VECTOR: which pixel centres of a grid lie inside any polygon of a
// vector layer. The polygons are projected to the grid's CRS once and burnt
// window by window (GDAL's rasteriser, pixel-centre rule); on lon/lat grids
// that extend past +-180 they are also burnt shifted by 360 degrees. Each
// window burns only the polygons whose envelope meets it.
#include <memory>
#include <string>
#include <vector>

#include <ogr_geometry.h>

#include "io/raster_grid.h"
#include "io/vector_reader.h"

namespace geoenc::io {

class PolygonMask {
public:
    // Throws DataError naming the file, layer or feature (a feature that is
    // not a polygon, or cannot be projected to the grid's CRS).
    PolygonMask(const std::string& path, const ReaderOptions& opts, const RasterGrid& grid);
    ~PolygonMask();
    // inside[r * w + c] = 1 for pixel (col0 + c, row0 + r) inside a polygon, else 0.
    void burn(int col0, int row0, int w, int h, unsigned char* inside) const;
    std::size_t polygons() const { return geoms_.size(); }

private:
    RasterGrid grid_;
    std::vector<std::unique_ptr<OGRGeometry>> geoms_;  // in the grid's CRS
    std::vector<OGREnvelope> envelopes_;               // of geoms_, to skip those a window misses
};

}  // namespace geoenc::io
