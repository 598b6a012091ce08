// Raster band in (nodata -> NaN), Float32 GeoTIFF out with the input's
// georeferencing and band descriptions, nothing left behind on failure.
#include <doctest/doctest.h>

#include <gdal_priv.h>

#include <cmath>

#include "core/errors.h"
#include "io/gdal_session.h"
#include "io/raster_band.h"
#include "temp_dir.h"

using namespace geoenc;

namespace {

// A 3x2 Int16 GeoTIFF in EPSG:32633 with nodata -9999 at (row 1, col 2).
std::string make_input(const test::TempDir& dir) {
    const std::string path = dir.file("in.tif");
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 3, 2, 2, GDT_Int16, nullptr));
    double gt[6] = {500000, 30, 0, 4000000, 0, -30};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(32633);
    ds->SetSpatialRef(&srs);
    std::int16_t v[6] = {1, 2, 3, 4, 5, -9999};
    ds->GetRasterBand(2)->SetNoDataValue(-9999);
    REQUIRE(ds->GetRasterBand(2)->RasterIO(GF_Write, 0, 0, 3, 2, v, 3, 2, GDT_Int16, 0, 0, nullptr) == CE_None);
    return path;
}

}  // namespace

TEST_CASE("read_raster_band: row-major float64, nodata as NaN, georeferencing kept") {
    io::GdalSession session;
    test::TempDir dir;
    const io::RasterBand b = io::read_raster_band(make_input(dir), 2);
    CHECK(b.width == 3);
    CHECK(b.height == 2);
    REQUIRE(b.values.size() == 6);
    CHECK(b.values[0] == 1);
    CHECK(b.values[3] == 4);
    CHECK(std::isnan(b.values[5]));
    CHECK(b.has_geotransform);
    CHECK(b.geotransform[0] == 500000);
    CHECK(b.crs_wkt.find("32633") != std::string::npos);
    CHECK_THROWS_WITH_AS(io::read_raster_band(dir.file("in.tif"), 3), doctest::Contains("no band 3"), DataError);
    CHECK_THROWS_AS(io::read_raster_band(dir.file("nosuch.tif"), 1), DataError);
}

TEST_CASE("write_float32_geotiff: three described bands, same grid, atomic") {
    io::GdalSession session;
    test::TempDir dir;
    const io::RasterBand in = io::read_raster_band(make_input(dir), 2);
    std::vector<double> a(6, 0.5), c(6, -1.0);
    std::vector<double> bb = in.values;  // with its NaN
    const std::string out = dir.file("out.tif");
    io::write_float32_geotiff(out, in, {a.data(), bb.data(), c.data()}, {"mi_full", "mi_half", "mi_quarter"}, false);

    GDALDatasetUniquePtr ds(GDALDataset::Open(out.c_str(), GDAL_OF_RASTER));
    REQUIRE(ds);
    REQUIRE(ds->GetRasterCount() == 3);
    CHECK(ds->GetRasterBand(1)->GetRasterDataType() == GDT_Float32);
    CHECK(std::string(ds->GetRasterBand(1)->GetDescription()) == "mi_full");
    CHECK(std::string(ds->GetRasterBand(3)->GetDescription()) == "mi_quarter");
    double gt[6];
    REQUIRE(ds->GetGeoTransform(gt) == CE_None);
    CHECK(gt[1] == 30);
    CHECK(ds->GetSpatialRef()->GetAuthorityCode(nullptr) == std::string("32633"));
    const io::RasterBand back = io::read_raster_band(out, 2);
    CHECK(back.values[1] == 2);
    CHECK(std::isnan(back.values[5]));
    ds.reset();

    // An existing output is refused without overwrite, and no temporary is left.
    CHECK_THROWS_WITH_AS(io::write_float32_geotiff(out, in, {a.data()}, {"x"}, false), doctest::Contains("exists"),
                         DataError);
    CHECK(dir.entries() == 2);
    io::write_float32_geotiff(out, in, {a.data()}, {"x"}, true);
    CHECK(io::read_raster_band(out, 1).values[0] == 0.5);
}
