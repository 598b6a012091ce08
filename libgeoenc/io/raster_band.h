#pragma once
// One raster band in, a few Float32 bands out: the raster side of
// geoenc-moran's multi-resolution mode. Any GDAL raster is read; the output is
// a GeoTIFF with the input's georeferencing, written atomically.
#include <array>
#include <string>
#include <vector>

namespace geoenc::io {

struct RasterBand {
    int width = 0, height = 0;
    std::vector<double> values;       // height x width, row-major; nodata -> NaN
    std::array<double, 6> geotransform{0, 1, 0, 0, 0, 1};
    bool has_geotransform = false;
    std::string crs_wkt;              // empty: none
};

// Band `band` (1-based) of `path`. Throws DataError naming the file.
RasterBand read_raster_band(const std::string& path, int band);

// A GeoTIFF with one Float32 band per entry of `bands` (each like.width x
// like.height), described by `names`, georeferenced like `like`; NaN is the
// nodata value. Created under a temporary name and renamed when complete.
void write_float32_geotiff(const std::string& path, const RasterBand& like, const std::vector<const double*>& bands,
                           const std::vector<std::string>& names, bool overwrite);

}  // namespace geoenc::io
