#include "io/raster_grid.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <limits>

#include "core/errors.h"
#include "io/gdal_session.h"

namespace geoenc::io {

namespace {

// Far beyond any sensible raster, but keeps width * height * bands within size_t arithmetic.
constexpr long long kMaxSide = kMaxRasterSide;

std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

OGRSpatialReference parse_crs(const std::string& text, const std::string& option) {
    OGRSpatialReference srs;
    take_last_error();
    if (srs.SetFromUserInput(text.c_str()) != OGRERR_NONE) {
        take_last_error();
        throw UsageError(option + ": cannot interpret '" + text + "' as a CRS");
    }
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

std::string to_wkt(const OGRSpatialReference& srs) {
    char* wkt = nullptr;
    const char* opts[] = {"FORMAT=WKT2_2018", nullptr};
    srs.exportToWkt(&wkt, opts);
    std::string out = wkt ? wkt : "";
    CPLFree(wkt);
    return out;
}

OGRSpatialReference wgs84() {
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

RasterGrid grid_like(const std::string& path) {
    take_last_error();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds) throw_last_error(path + ": cannot open as a raster (--like)");
    RasterGrid g;
    g.width = ds->GetRasterXSize();
    g.height = ds->GetRasterYSize();
    if (ds->GetGeoTransform(g.geotransform.data()) != CE_None)
        throw DataError(path + ": has no georeferencing (--like needs a georeferenced raster)");
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    if (!srs || srs->IsEmpty()) throw DataError(path + ": has no CRS (--like needs one)");
    g.crs_wkt = to_wkt(*srs);
    g.crs_text = path;
    g.from_like = true;
    take_last_error();
    return g;
}

}  // namespace

double RasterGrid::centre_x(double col, double row) const {
    return geotransform[0] + (col + 0.5) * geotransform[1] + (row + 0.5) * geotransform[2];
}

double RasterGrid::centre_y(double col, double row) const {
    return geotransform[3] + (col + 0.5) * geotransform[4] + (row + 0.5) * geotransform[5];
}

RasterGrid RasterGrid::rows(int row0, int n) const {
    RasterGrid g = *this;
    g.height = n;
    g.geotransform[0] += row0 * geotransform[2];
    g.geotransform[3] += row0 * geotransform[5];
    return g;
}

RasterGrid make_grid(const GridRequest& r) {
    if (!r.like.empty()) {
        if (r.te || r.tr || r.ts) throw UsageError("--like copies the whole grid: it takes no --te, --tr or --ts");
        return grid_like(r.like);
    }
    if (!r.te) throw UsageError("--te: required (or --like RASTER), e.g. --te -180 -90 180 90 --tr 1 1");
    if (r.tr.has_value() == r.ts.has_value())
        throw UsageError(r.tr ? "--tr and --ts: give one of them, not both" : "--tr or --ts: one is required with --te");
    const auto [xmin, ymin, xmax, ymax] = *r.te;
    for (double v : *r.te)
        if (!std::isfinite(v)) throw UsageError("--te: values must be finite numbers");
    if (!(xmin < xmax)) throw UsageError("--te: xmin must be less than xmax (got " + num(xmin) + " and " + num(xmax) +
                                         "; to cross the antimeridian in degrees, let xmax exceed 180)");
    if (!(ymin < ymax)) throw UsageError("--te: ymin must be less than ymax (got " + num(ymin) + " and " + num(ymax) + ")");
    const std::string crs_text = r.t_srs.empty() ? "EPSG:4326" : r.t_srs;
    const OGRSpatialReference srs = parse_crs(crs_text, "--t_srs");
    if (srs.IsGeographic()) {
        if (ymin < -90.0 || ymax > 90.0)
            throw UsageError("--te: latitudes must lie within [-90, 90] (got " + num(ymin) + " to " + num(ymax) + ")");
        if (xmax - xmin > 360.0) throw UsageError("--te: spans more than 360 degrees of longitude");
        // past 180 only to cross the antimeridian (the mask's copies are one turn away)
        if (xmin < -540.0 || xmax > 540.0)
            throw UsageError("--te: longitudes " + num(xmin) + " to " + num(xmax) +
                             " are not within one turn of [-180, 180]; wrap them into [-180, 180) first");
    }
    RasterGrid g;
    g.crs_wkt = to_wkt(srs);
    g.crs_text = crs_text;
    double xres, yres;
    long long w, h;
    if (r.tr) {
        xres = (*r.tr)[0];
        yres = (*r.tr)[1];
        if (!(std::isfinite(xres) && xres > 0 && std::isfinite(yres) && yres > 0))
            throw UsageError("--tr: expected two positive resolutions, got " + num(xres) + " " + num(yres));
        // gdalwarp's rule: whole pixels from xmin/ymax, the last one reaching at most half a pixel past xmax/ymin.
        const double fw = std::floor((xmax - xmin + xres / 2.0) / xres), fh = std::floor((ymax - ymin + yres / 2.0) / yres);
        if (fw < 1 || fh < 1)
            throw UsageError("--tr: " + num(xres) + " " + num(yres) + " is coarser than the --te extent (" +
                             num(xmax - xmin) + " x " + num(ymax - ymin) + ")");
        if (fw > kMaxSide || fh > kMaxSide)
            throw UsageError("--tr: " + num(xres) + " " + num(yres) + " gives more than " + std::to_string(kMaxSide) +
                             " pixels on a side");
        w = (long long)fw;
        h = (long long)fh;
    } else {
        w = (*r.ts)[0];
        h = (*r.ts)[1];
        if (w < 1 || h < 1 || w > kMaxSide || h > kMaxSide)
            throw UsageError("--ts: expected a width and height from 1 to " + std::to_string(kMaxSide) + ", got " +
                             std::to_string(w) + " " + std::to_string(h));
        xres = (xmax - xmin) / double(w);
        yres = (ymax - ymin) / double(h);
    }
    if (w * h > (1LL << 40)) throw UsageError("--te with --tr/--ts: more than 2^40 pixels");
    g.width = int(w);
    g.height = int(h);
    g.geotransform = {xmin, xres, 0.0, ymax, 0.0, -yres};
    return g;
}

PixelLocator::PixelLocator(const RasterGrid& grid) : grid_(grid) {
    OGRSpatialReference srs;
    if (srs.importFromWkt(grid.crs_wkt.c_str()) != OGRERR_NONE) throw DataError("grid: cannot read its CRS");
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const OGRSpatialReference target = wgs84();
    const char* same[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
    geographic_ = srs.IsSame(&target, same);
    lonlat_rows_ = geographic_ && grid.geotransform[2] == 0.0 && grid.geotransform[4] == 0.0;
    if (!geographic_) {
        to_wgs84_.reset(OGRCreateCoordinateTransformation(&srs, &target));
        if (!to_wgs84_)
            throw_last_error((grid.from_like ? "--like " : "--t_srs ") + grid.crs_text + ": no transformation to EPSG:4326");
    }
}

PixelLocator::~PixelLocator() = default;

void PixelLocator::locate(int row, int col0, int n, double* lon, double* lat, unsigned char* valid) const {
    for (int i = 0; i < n; ++i) {
        lon[i] = grid_.centre_x(col0 + i, row);
        lat[i] = grid_.centre_y(col0 + i, row);
    }
    std::vector<int> ok(std::size_t(n), 1);
    if (to_wgs84_) {
        CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);  // points outside the projection's domain are expected
        to_wgs84_->Transform(n, lon, lat, nullptr, ok.data());
        CPLErrorReset();
    }
    for (int i = 0; i < n; ++i) {
        const bool good = ok[std::size_t(i)] && std::isfinite(lon[i]) && std::isfinite(lat[i]) && std::abs(lat[i]) <= 90.0;
        valid[i] = good;
        lon[i] = good ? wrap_longitude(lon[i]) : 0.0;
        if (!good) lat[i] = 0.0;
    }
}

}  // namespace geoenc::io
