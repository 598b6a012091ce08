#include "io/polygon_mask.h"

#include <algorithm>
#include <gdal_alg.h>
#include <gdal_priv.h>

#include <cstring>

#include <cpl_conv.h>

#include "core/errors.h"
#include "core/log.h"
#include "io/gdal_session.h"

namespace geoenc::io {

namespace {

bool is_areal(const OGRGeometry& g) {
    const OGRwkbGeometryType t = wkbFlatten(g.getGeometryType());
    return OGR_GT_IsSubClassOf(t, wkbCurvePolygon) || OGR_GT_IsSubClassOf(t, wkbMultiSurface);
}

struct ShiftX : OGRCoordinateTransformation {  // x + dx: a polygon's copy one turn east or west
    explicit ShiftX(double d) : dx(d) {}
    double dx;
    OGRSpatialReference* GetSourceCS() override { return nullptr; }
    OGRSpatialReference* GetTargetCS() override { return nullptr; }
    int Transform(int n, double* x, double*, double*, double*, int* ok) override {
        for (int i = 0; i < n; ++i) {
            x[i] += dx;
            if (ok) ok[i] = TRUE;
        }
        return TRUE;
    }
    OGRCoordinateTransformation* Clone() const override { return new ShiftX(dx); }
    OGRCoordinateTransformation* GetInverse() const override { return new ShiftX(-dx); }
};

}  // namespace

PolygonMask::PolygonMask(const std::string& path, const ReaderOptions& opts, const RasterGrid& grid) : grid_(grid) {
    VectorReader reader(path, opts);
    OGRSpatialReference grid_srs;
    grid_srs.importFromWkt(grid.crs_wkt.c_str());
    grid_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const bool lonlat = grid_srs.IsGeographic() != 0;
    std::unique_ptr<OGRCoordinateTransformation> to_grid(OGRCreateCoordinateTransformation(&wgs84, &grid_srs));
    if (!to_grid) throw_last_error("--mask " + path + ": no transformation to the grid's CRS");
    // The grid's x range from its four corners (a grid may run east to west, or be rotated).
    const auto& gt = grid.geotransform;
    const double cx[4] = {gt[0], gt[0] + grid.width * gt[1], gt[0] + grid.height * gt[2],
                          gt[0] + grid.width * gt[1] + grid.height * gt[2]};
    const double xmin = *std::min_element(cx, cx + 4), xmax = *std::max_element(cx, cx + 4);
    std::int64_t outside = 0;
    FeatureBatch batch;
    while (reader.next(batch, 1024)) {
        for (const auto& f : batch.features) {
            std::unique_ptr<OGRGeometry> g = reader.geometry_wgs84(*f);
            if (!g || g->IsEmpty()) continue;
            if (!is_areal(*g))
                throw DataError(reader.where_text() + ", feature " + std::to_string(f->GetFID()) +
                                ": --mask needs polygons, got " + OGRGeometryTypeToName(g->getGeometryType()));
            if (!lonlat) {
                // Straight lon/lat edges are curves in the grid's CRS (a parallel
                // around a pole): densify before projecting. Vertices the
                // projection cannot reach (the far side of an orthographic view)
                // are dropped; a feature with none left is outside the grid.
                g->segmentize(0.5);
                CPLConfigOptionSetter partial("OGR_ENABLE_PARTIAL_REPROJECTION", "YES", true);
                if (g->transform(to_grid.get()) != OGRERR_NONE || g->IsEmpty()) {
                    ++outside;
                    take_last_error();
                    continue;
                }
            } else if (g->transform(to_grid.get()) != OGRERR_NONE) {
                throw DataError(reader.where_text() + ", feature " + std::to_string(f->GetFID()) +
                                ": cannot project it to the grid's CRS (" + grid.crs_text + ")");
            }
            if (lonlat) {
                for (double dx : {-360.0, 360.0}) {
                    if ((dx > 0 && xmax <= 180.0) || (dx < 0 && xmin >= -180.0)) continue;
                    std::unique_ptr<OGRGeometry> copy(g->clone());
                    ShiftX shift(dx);
                    copy->transform(&shift);
                    geoms_.push_back(std::move(copy));
                }
            }
            geoms_.push_back(std::move(g));
        }
    }
    take_last_error();
    if (outside > 0)
        log::warn("--mask " + path + ": " + std::to_string(outside) +
                  " feature(s) lie outside what the grid's CRS can show; they mask nothing");
    envelopes_.resize(geoms_.size());
    for (std::size_t k = 0; k < geoms_.size(); ++k) geoms_[k]->getEnvelope(&envelopes_[k]);
}

PolygonMask::~PolygonMask() = default;

void PolygonMask::burn(int col0, int row0, int w, int h, unsigned char* inside) const {
    std::memset(inside, 0, std::size_t(w) * std::size_t(h));
    if (geoms_.empty()) return;
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDatasetUniquePtr ds(mem->Create("", w, h, 1, GDT_Byte, nullptr));
    if (!ds) throw_last_error("--mask: cannot create a window in memory");
    double gt[6];
    std::memcpy(gt, grid_.geotransform.data(), sizeof gt);
    gt[0] += col0 * gt[1] + row0 * gt[2];
    gt[3] += col0 * gt[4] + row0 * gt[5];
    ds->SetGeoTransform(gt);
    // Only the polygons whose envelope meets the window: a land mask has
    // thousands, and each window sees a few.
    const double xs[4] = {gt[0], gt[0] + w * gt[1], gt[0] + h * gt[2], gt[0] + w * gt[1] + h * gt[2]};
    const double ys[4] = {gt[3], gt[3] + w * gt[4], gt[3] + h * gt[5], gt[3] + w * gt[4] + h * gt[5]};
    OGREnvelope window;
    window.MinX = *std::min_element(xs, xs + 4);
    window.MaxX = *std::max_element(xs, xs + 4);
    window.MinY = *std::min_element(ys, ys + 4);
    window.MaxY = *std::max_element(ys, ys + 4);
    std::vector<OGRGeometryH> handles;
    for (std::size_t k = 0; k < geoms_.size(); ++k)
        if (envelopes_[k].Intersects(window)) handles.push_back(OGRGeometry::ToHandle(geoms_[k].get()));
    if (handles.empty()) return;
    std::vector<double> burn(handles.size(), 1.0);
    int band = 1;
    if (GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()), 1, &band, int(handles.size()), handles.data(), nullptr,
                                nullptr, burn.data(), nullptr, nullptr, nullptr) != CE_None)
        throw_last_error("--mask: cannot rasterise the polygons");
    if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, w, h, inside, w, h, GDT_Byte, 0, 0, nullptr) != CE_None)
        throw_last_error("--mask: cannot read the rasterised window");
}

}  // namespace geoenc::io
