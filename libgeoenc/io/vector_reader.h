#pragma once
// Any OGR source and layer -> features plus one lon/lat (EPSG:4326) each.
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>
#include <vector>

#include "io/feature_batch.h"
#include "io/shard.h"

namespace geoenc::io {

enum class PointMode { PointOnSurface, Centroid };

PointMode parse_point_mode(const std::string& text);  // throws UsageError naming --point

struct ReaderOptions {
    std::string layer;                      // --layer; empty: the first layer
    std::string where;                      // --where (OGR SQL attribute filter)
    std::string input_format;               // --if: restrict to one driver (needed for CSV on stdin)
    std::string s_srs;                      // --s_srs: override or supply the source CRS
    std::vector<std::string> open_options;  // --oo NAME=VALUE
    PointMode point = PointMode::PointOnSurface;
    bool skip_invalid = false;              // skip (and count) null/empty/out-of-range features
    Shard shard;                            // --shard: keep only this shard's features
    // The options as the user named them, for error messages (a second input's
    // --target-where, a validation filter's --val-where).
    std::string layer_option = "--layer", where_option = "--where";
};

// The usage errors of ReaderOptions (--oo syntax, an unknown --if driver, a
// --s_srs PROJ cannot read), raised before any model is loaded or input read.
void check_reader_options(const ReaderOptions& opts);

class VectorReader {
public:
    // `input` is a path, any GDAL connection string, or "-" for stdin.
    VectorReader(const std::string& input, const ReaderOptions& opts);
    ~VectorReader();

    // Appends up to `max` features to `batch` (cleared first). False at the end.
    bool next(FeatureBatch& batch, std::size_t max);

    OGRLayer& layer() { return *layer_; }
    // The CRS the geometries are in: the layer's, --s_srs, or the assumed EPSG:4326.
    const OGRSpatialReference& source_srs() const { return src_srs_; }
    // "file.shp, layer 'x'" — the prefix of every message about this input.
    const std::string& where_text() const { return where_text_; }
    std::int64_t skipped() const { return skipped_; }
    // A layer whose Polygon/LineString type also covers Multi* features (a
    // shapefile's): writers to stricter formats promote it (ogr2ogr's
    // -nlt PROMOTE_TO_MULTI).
    bool single_type_covers_multi() const;
    // A copy of the feature's geometry in EPSG:4326 (lon/lat order), for tools
    // that work on the whole polygon; null for a null geometry.
    std::unique_ptr<OGRGeometry> geometry_wgs84(const OGRFeature& f) const;
    // Feature count if the driver knows it cheaply, else -1 (never reads stdin twice).
    std::int64_t count_hint() const { return count_hint_; }

private:
    bool locate(OGRFeature& f, double& lon, double& lat);
    [[noreturn]] void fail(const OGRFeature& f, const std::string& why) const;

    ReaderOptions opts_;
    GDALDatasetUniquePtr ds_;
    OGRLayer* layer_ = nullptr;
    OGRSpatialReference src_srs_;
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84_;
    bool crs_assumed_ = false;
    std::string where_text_;
    std::int64_t skipped_ = 0;
    bool read_any_ = false;
    std::int64_t count_hint_ = -1;
};

}  // namespace geoenc::io
