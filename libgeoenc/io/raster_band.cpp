#include "io/raster_band.h"

#include <gdal_priv.h>

#include <cmath>
#include <limits>

#include "core/errors.h"
#include "io/atomic_output.h"
#include "io/gdal_session.h"

namespace geoenc::io {

RasterBand read_raster_band(const std::string& path, int band) {
    take_last_error();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds) throw_last_error(path + ": cannot open as a raster");
    if (band < 1 || band > ds->GetRasterCount())
        throw DataError(path + ": no band " + std::to_string(band) + " (it has " + std::to_string(ds->GetRasterCount()) +
                        ")");
    GDALRasterBand* b = ds->GetRasterBand(band);
    RasterBand out;
    out.width = ds->GetRasterXSize();
    out.height = ds->GetRasterYSize();
    out.values.resize(std::size_t(out.width) * std::size_t(out.height));
    if (b->RasterIO(GF_Read, 0, 0, out.width, out.height, out.values.data(), out.width, out.height, GDT_Float64, 0, 0,
                    nullptr) != CE_None)
        throw_last_error(path + ": cannot read band " + std::to_string(band));
    int has_nodata = 0;
    const double nodata = b->GetNoDataValue(&has_nodata);
    if (has_nodata) {
        // A NaN nodata already reads as NaN; compare as the band stores it otherwise.
        for (double& v : out.values)
            if (v == nodata) v = std::numeric_limits<double>::quiet_NaN();
    }
    out.has_geotransform = ds->GetGeoTransform(out.geotransform.data()) == CE_None;
    if (const OGRSpatialReference* srs = ds->GetSpatialRef()) {
        char* wkt = nullptr;
        if (srs->exportToWkt(&wkt) == OGRERR_NONE && wkt) out.crs_wkt = wkt;
        CPLFree(wkt);
    }
    take_last_error();  // e.g. a missing geotransform is no failure
    return out;
}

void write_float32_geotiff(const std::string& path, const RasterBand& like, const std::vector<const double*>& bands,
                           const std::vector<std::string>& names, bool overwrite) {
    AtomicOutput atomic(path, overwrite);
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    if (!drv) throw DataError("GDAL has no GTiff driver");
    take_last_error();
    {
        const char* options[] = {"COMPRESS=DEFLATE", "PREDICTOR=3", "TILED=YES", nullptr};
        GDALDatasetUniquePtr ds(drv->Create(atomic.temp_path().c_str(), like.width, like.height, int(bands.size()),
                                            GDT_Float32, const_cast<char**>(options)));
        if (!ds) throw_last_error(path + ": cannot create a GeoTIFF");
        if (like.has_geotransform) ds->SetGeoTransform(const_cast<double*>(like.geotransform.data()));
        if (!like.crs_wkt.empty()) ds->SetProjection(like.crs_wkt.c_str());
        for (std::size_t k = 0; k < bands.size(); ++k) {
            GDALRasterBand* b = ds->GetRasterBand(int(k) + 1);
            if (k < names.size()) b->SetDescription(names[k].c_str());
            b->SetNoDataValue(std::numeric_limits<double>::quiet_NaN());
            if (b->RasterIO(GF_Write, 0, 0, like.width, like.height, const_cast<double*>(bands[k]), like.width,
                            like.height, GDT_Float64, 0, 0, nullptr) != CE_None)
                throw_last_error(path + ": cannot write band " + std::to_string(k + 1));
        }
        // Closing flushes the file; its errors are errors of the run.
        GDALClose(GDALDataset::ToHandle(ds.release()));
    }
    const std::string late = take_last_error();
    if (!late.empty()) throw DataError(path + ": " + late);
    atomic.commit();
}

}  // namespace geoenc::io
