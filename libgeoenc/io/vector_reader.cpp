#include "io/vector_reader.h"

#include <cpl_string.h>
#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>

#include "core/errors.h"
#include "core/log.h"
#include "io/gdal_session.h"
#include "io/longitude.h"

namespace geoenc::io {

namespace {

bool has_option(const std::vector<std::string>& opts, const std::string& name) {
    for (const auto& o : opts)
        if (o.size() > name.size() && EQUALN(o.c_str(), name.c_str(), name.size()) && o[name.size()] == '=')
            return true;
    return false;
}

bool looks_like_csv(const std::string& input, const std::string& format) {
    if (!format.empty()) return EQUAL(format.c_str(), "CSV");
    const std::string ext = std::filesystem::path(input).extension().string();
    return EQUAL(ext.c_str(), ".csv") || EQUALN(input.c_str(), "CSV:", 4);
}

}  // namespace

PointMode parse_point_mode(const std::string& text) {
    if (text == "point-on-surface") return PointMode::PointOnSurface;
    if (text == "centroid") return PointMode::Centroid;
    throw UsageError("--point: expected centroid or point-on-surface, got '" + text + "'");
}

void check_reader_options(const ReaderOptions& opts) {
    for (const auto& o : opts.open_options)
        if (o.find('=') == std::string::npos) throw UsageError("--oo " + o + ": expected NAME=VALUE");
    if (!opts.input_format.empty() && !GDALGetDriverByName(opts.input_format.c_str()))
        throw UsageError("--if " + opts.input_format + ": unknown GDAL driver");
    OGRSpatialReference srs;
    if (!opts.s_srs.empty() && srs.SetFromUserInput(opts.s_srs.c_str()) != OGRERR_NONE) {
        take_last_error();
        throw UsageError("--s_srs " + opts.s_srs + ": not a CRS that PROJ understands");
    }
}

bool VectorReader::single_type_covers_multi() const {
    const GDALDriver* drv = ds_ ? ds_->GetDriver() : nullptr;
    return drv && EQUAL(drv->GetDescription(), "ESRI Shapefile");
}

VectorReader::VectorReader(const std::string& input, const ReaderOptions& opts) : opts_(opts) {
    const bool from_stdin = input == "-";
    const std::string shown = from_stdin ? "stdin" : input;
    std::string path = from_stdin ? "/vsistdin/" : input;
    // CSV cannot be recognised from a stream's content alone: the CSV: prefix forces it.
    if (from_stdin && EQUAL(opts.input_format.c_str(), "CSV")) path = "CSV:/vsistdin/";
    // GeoJSONSeq reads a stream twice (its fields, then its features), and
    // /vsistdin/ keeps only the first MiB to seek back into: larger pipes
    // failed. Keep all of it unless the user set a limit (--config).
    if (from_stdin && !CPLGetConfigOption("CPL_VSISTDIN_BUFFER_LIMIT", nullptr))
        CPLSetConfigOption("CPL_VSISTDIN_BUFFER_LIMIT", "-1");

    std::vector<std::string> oo = opts.open_options;
    if (looks_like_csv(path, opts.input_format)) {
        // Find lon/lat columns the way users name them, and type numbers as numbers.
        if (!has_option(oo, "X_POSSIBLE_NAMES")) oo.push_back("X_POSSIBLE_NAMES=lon,longitude,lng,long,x");
        if (!has_option(oo, "Y_POSSIBLE_NAMES")) oo.push_back("Y_POSSIBLE_NAMES=lat,latitude,y");
        if (!has_option(oo, "AUTODETECT_TYPE")) oo.push_back("AUTODETECT_TYPE=YES");
    }
    CPLStringList open_options;
    for (const auto& o : oo) {
        if (o.find('=') == std::string::npos) throw UsageError("--oo " + o + ": expected NAME=VALUE");
        open_options.AddString(o.c_str());
    }
    CPLStringList drivers;
    if (!opts.input_format.empty()) {
        if (!GDALGetDriverByName(opts.input_format.c_str()))
            throw UsageError("--if " + opts.input_format + ": unknown GDAL driver");
        drivers.AddString(opts.input_format.c_str());
    }

    if (!from_stdin && !std::filesystem::exists(input) && input.find(':') == std::string::npos &&
        input.rfind("/vsi", 0) != 0)
        throw DataError(input + ": no such file");
    take_last_error();
    ds_.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                drivers.empty() ? nullptr : drivers.List(), open_options.List(), nullptr));
    if (!ds_) throw_last_error(shown + ": cannot open as a vector dataset");

    if (!opts.layer.empty()) {
        layer_ = ds_->GetLayerByName(opts.layer.c_str());
        if (!layer_) throw DataError(shown + ": no layer named '" + opts.layer + "' (" + opts.layer_option + ")");
    } else {
        if (ds_->GetLayerCount() == 0) throw DataError(shown + ": has no vector layer");
        layer_ = ds_->GetLayer(0);
        if (ds_->GetLayerCount() > 1)
            log::warn(shown + ": has " + std::to_string(ds_->GetLayerCount()) + " layers; reading '" +
                      layer_->GetName() + "' (choose with " + opts.layer_option + ")");
    }
    where_text_ = shown + (std::string(layer_->GetName()).empty() ? "" : std::string(", layer '") + layer_->GetName() + "'");

    if (layer_->GetLayerDefn()->GetGeomFieldCount() == 0)
        throw DataError(where_text_ + ": has no geometry" +
                        (looks_like_csv(path, opts.input_format)
                             ? std::string("; name the coordinate columns with --oo X_POSSIBLE_NAMES=COL "
                                           "--oo Y_POSSIBLE_NAMES=COL")
                             : std::string()));

    if (!opts.where.empty() && layer_->SetAttributeFilter(opts.where.c_str()) != OGRERR_NONE)
        throw_last_error(opts.where_option + " '" + opts.where + "' on " + where_text_);

    // Source CRS: --s_srs wins, then the layer's; with neither, EPSG:4326 on trust.
    if (!opts.s_srs.empty()) {
        if (src_srs_.SetFromUserInput(opts.s_srs.c_str()) != OGRERR_NONE)
            throw UsageError("--s_srs " + opts.s_srs + ": not a CRS that PROJ understands");
    } else if (const OGRSpatialReference* srs = layer_->GetSpatialRef()) {
        src_srs_ = *srs;
    } else {
        src_srs_.importFromEPSG(4326);
        crs_assumed_ = true;
        log::warn(where_text_ + ": has no CRS; assuming EPSG:4326 (lon/lat degrees). Set --s_srs if it is not");
    }
    src_srs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (!src_srs_.IsSame(&wgs84)) {
        to_wgs84_.reset(OGRCreateCoordinateTransformation(&src_srs_, &wgs84));
        if (!to_wgs84_) throw_last_error(where_text_ + ": no transformation from its CRS to EPSG:4326");
    }
    if (!from_stdin) count_hint_ = layer_->GetFeatureCount(FALSE);
    take_last_error();  // probing drivers may leave messages that are not failures of ours
}

VectorReader::~VectorReader() = default;

void VectorReader::fail(const OGRFeature& f, const std::string& why) const {
    throw DataError(where_text_ + ", FID " + std::to_string(f.GetFID()) + ": " + why);
}

bool VectorReader::locate(OGRFeature& f, double& lon, double& lat) {
    const OGRGeometry* g = f.GetGeometryRef();
    if (!g || g->IsEmpty()) {
        if (opts_.skip_invalid) return false;
        fail(f, std::string(g ? "empty" : "null") + " geometry (use --skip-invalid to skip such features)");
    }
    double x, y;
    if (wkbFlatten(g->getGeometryType()) == wkbPoint) {
        x = g->toPoint()->getX();
        y = g->toPoint()->getY();
    } else {
        // Computed in the source CRS: a centroid in a projected CRS is the one users expect.
        OGRPoint p;
        OGRErr err = OGRERR_FAILURE;
        if (opts_.point == PointMode::Centroid) {
            err = g->Centroid(&p);
        } else if (OGRGeometryH h = OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)))) {
            const OGRGeometry* onsurface = OGRGeometry::FromHandle(h);
            if (wkbFlatten(onsurface->getGeometryType()) == wkbPoint && !onsurface->IsEmpty()) {
                p = *onsurface->toPoint();
                err = OGRERR_NONE;
            }
            OGR_G_DestroyGeometry(h);
        }
        if (err != OGRERR_NONE || p.IsEmpty()) {
            if (opts_.skip_invalid) return false;
            fail(f, std::string("cannot compute its ") +
                        (opts_.point == PointMode::Centroid ? "centroid" : "point on surface") + ": " +
                        take_last_error());
        }
        x = p.getX();
        y = p.getY();
    }
    if (crs_assumed_ && !(std::abs(x) <= 180.0 && std::abs(y) <= 90.0))
        fail(f, "coordinate (" + std::to_string(x) + ", " + std::to_string(y) +
                    ") is not lon/lat and the layer has no CRS; set --s_srs");
    if (to_wgs84_ && !to_wgs84_->Transform(1, &x, &y)) {
        if (opts_.skip_invalid) return false;
        fail(f, "cannot transform its location to EPSG:4326");
    }
    if (!std::isfinite(x) || !std::isfinite(y) || std::abs(y) > 90.0) {
        if (opts_.skip_invalid) return false;
        fail(f, "location (" + std::to_string(x) + ", " + std::to_string(y) +
                    ") is outside lon/lat range after transformation (use --skip-invalid to skip)");
    }
    // A CRS's longitudes may run past 180 (0-360 data, +over): the same
    // places as their wrapped values, which every encoder expects.
    lon = std::abs(x) > 180.0 ? wrap_longitude(x) : x;
    lat = y;
    return true;
}

std::unique_ptr<OGRGeometry> VectorReader::geometry_wgs84(const OGRFeature& f) const {
    const OGRGeometry* g = f.GetGeometryRef();
    if (!g) return nullptr;
    std::unique_ptr<OGRGeometry> copy(g->clone());
    if (to_wgs84_ && copy->transform(to_wgs84_.get()) != OGRERR_NONE)
        fail(f, "cannot transform its geometry to EPSG:4326");
    return copy;
}

bool VectorReader::next(FeatureBatch& batch, std::size_t max) {
    batch.clear();
    while (batch.size() < max) {
        OGRFeatureUniquePtr f(layer_->GetNextFeature());
        if (!f) {
            const std::string err = take_last_error();
            // SQL-backed drivers (GeoPackage) check an attribute filter only
            // when they run it: a failure before the first feature is its fault.
            if (!err.empty() && !opts_.where.empty() && !read_any_)
                throw DataError(opts_.where_option + " '" + opts_.where + "' on " + where_text_ + ": " + err);
            if (!err.empty()) throw DataError(where_text_ + ": read failed: " + err);
            break;
        }
        read_any_ = true;
        if (!opts_.shard.selects(f->GetFID())) continue;
        double lon, lat;
        if (!locate(*f, lon, lat)) {
            ++skipped_;
            continue;
        }
        batch.lon.push_back(lon);
        batch.lat.push_back(lat);
        batch.features.push_back(std::move(f));
    }
    return !batch.features.empty();
}

}  // namespace geoenc::io
