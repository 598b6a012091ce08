#pragma once
// The pixel grid of a raster output, as gdalwarp defines one: an extent
// (--te) with a resolution (--tr) or a size (--ts) in a CRS (--t_srs), or the
// grid of an existing raster (--like). Values belong to pixel CENTRES: pixel
// (col, row) is located at x = xmin + (col + 0.5) * xres, y = ymax - (row + 0.5) * yres.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/longitude.h"

class OGRCoordinateTransformation;

namespace geoenc::io {

// The largest width or height a grid may have (pixels).
constexpr long long kMaxRasterSide = 10'000'000;

struct RasterGrid {
    int width = 0, height = 0;
    std::array<double, 6> geotransform{0, 1, 0, 0, 0, -1};  // GDAL's affine transform
    std::string crs_wkt;                                    // WKT of the grid's CRS
    std::string crs_text;                                   // as given (EPSG:4326, a file, WKT)
    bool from_like = false;   // copied from a raster (--like), not --t_srs

    // Pixel-centre coordinates in the grid's CRS.
    double centre_x(double col, double row) const;
    double centre_y(double col, double row) const;
    // Rows [row0, row0 + rows) as a grid of their own (a shard's output).
    RasterGrid rows(int row0, int rows) const;
};

struct GridRequest {
    std::optional<std::array<double, 4>> te;    // xmin ymin xmax ymax
    std::optional<std::array<double, 2>> tr;    // xres yres (positive)
    std::optional<std::array<long long, 2>> ts; // width height
    std::string t_srs = "EPSG:4326";
    std::string like;                            // a raster whose grid to copy
};

// Throws UsageError naming the option at fault (--te, --tr, --ts, --t_srs,
// --like), or DataError for a --like raster that cannot be read.
RasterGrid make_grid(const GridRequest& request);

// Pixel centres -> lon/lat (EPSG:4326, degrees, lon wrapped into [-180, 180)).
class PixelLocator {
public:
    explicit PixelLocator(const RasterGrid& grid);
    ~PixelLocator();
    PixelLocator(const PixelLocator&) = delete;
    PixelLocator& operator=(const PixelLocator&) = delete;

    // True when x is longitude and y latitude (the grid's CRS is EPSG:4326 or
    // an equivalent) and the grid is north-up: a row shares one latitude,
    // so separable encoders apply.
    bool lonlat_rows() const { return lonlat_rows_; }
    // Pixels [col0, col0 + n) of `row`. valid[i] = 0 where a centre has no
    // lon/lat (outside the projection's domain, or latitude beyond +-90).
    void locate(int row, int col0, int n, double* lon, double* lat, unsigned char* valid) const;

private:
    RasterGrid grid_;
    bool lonlat_rows_ = false;
    bool geographic_ = false;
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84_;
};

}  // namespace geoenc::io
