#include <doctest/doctest.h>

#include "core/errors.h"
#include "io/gdal_session.h"
#include "io/output_format.h"

using namespace geoenc;

TEST_CASE("output driver from -f, the extension, or stdout") {
    io::GdalSession gdal;
    CHECK(io::choose_vector_output("a.gpkg", "").driver == "GPKG");
    CHECK(io::choose_vector_output("a.shp", "").driver == "ESRI Shapefile");
    CHECK(io::choose_vector_output("a.csv", "").driver == "CSV");
    CHECK(io::choose_vector_output("a.fgb", "").driver == "FlatGeobuf");
    CHECK(io::choose_vector_output("a.geojsonl", "").driver == "GeoJSONSeq");
    CHECK(io::choose_vector_output("a.json", "").driver == "GeoJSON");
    CHECK(io::choose_vector_output("noext", "").driver == "GPKG");
    CHECK(io::choose_vector_output("a.gpkg", "FlatGeobuf").driver == "FlatGeobuf");

    const auto out = io::choose_vector_output("-", "");
    CHECK(out.to_stdout);
    CHECK(out.driver == "GeoJSONSeq");
    CHECK(out.path == "/vsistdout/");
    CHECK(io::choose_vector_output("-", "CSV").driver == "CSV");

    CHECK_THROWS_AS(io::choose_vector_output("-", "GPKG"), UsageError);
    CHECK_THROWS_AS(io::choose_vector_output("a.gpkg", "NoSuchDriver"), UsageError);
    CHECK_THROWS_AS(io::choose_vector_output("a.tif", "GTiff"), UsageError);  // raster only
    CHECK_THROWS_AS(io::choose_vector_output("a.unknownext", ""), UsageError);
}
