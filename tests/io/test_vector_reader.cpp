#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "core/errors.h"
#include "io/gdal_session.h"
#include "io/vector_reader.h"
#include "temp_dir.h"

using namespace geoenc;

namespace {

std::string write(const test::TempDir& dir, const std::string& name, const std::string& text) {
    std::ofstream(dir.file(name)) << text;
    return dir.file(name);
}

io::FeatureBatch read_all(const std::string& path, io::ReaderOptions opts = {}) {
    io::VectorReader r(path, opts);
    io::FeatureBatch all, b;
    while (r.next(b, 2)) {  // small batches exercise the batching
        for (std::size_t i = 0; i < b.size(); ++i) {
            all.lon.push_back(b.lon[i]);
            all.lat.push_back(b.lat[i]);
            all.features.push_back(std::move(b.features[i]));
        }
    }
    return all;
}

const char* kFeature = R"({"type":"Feature","properties":{"k":%d},"geometry":%s})";

std::string feature(int k, const std::string& geometry) {
    char buf[512];
    std::snprintf(buf, sizeof buf, kFeature, k, geometry.c_str());
    return std::string(buf) + "\n";
}

}  // namespace

TEST_CASE("CSV columns named longitude/latitude are found, numbers typed") {
    io::GdalSession gdal;
    test::TempDir dir;
    const auto path = write(dir, "p.csv", "name,longitude,latitude\na,10.5,-20.25\nb,-170,80\n");
    const auto b = read_all(path);
    REQUIRE(b.size() == 2);
    CHECK(b.lon[0] == 10.5);
    CHECK(b.lat[0] == -20.25);
    CHECK(b.lon[1] == -170);
    CHECK(b.features[0]->GetFieldDefnRef(1)->GetType() == OFTReal);
}

TEST_CASE("--s_srs EPSG:3857 metres become lon/lat in traditional GIS order") {
    io::GdalSession gdal;
    test::TempDir dir;
    const auto path = write(dir, "m.csv", "x,y\n1113194.9079327357,0\n0,2273030.926987689\n");
    io::ReaderOptions o;
    o.s_srs = "EPSG:3857";
    const auto b = read_all(path, o);
    REQUIRE(b.size() == 2);
    CHECK(b.lon[0] == doctest::Approx(10.0).epsilon(1e-12));
    CHECK(std::abs(b.lat[0]) < 1e-9);
    CHECK(b.lat[1] == doctest::Approx(20.0).epsilon(1e-12));
}

TEST_CASE("projected coordinates without a CRS are an error that asks for --s_srs") {
    io::GdalSession gdal;
    test::TempDir dir;
    const auto path = write(dir, "m.csv", "x,y\n10,10\n500000,4000000\n");
    io::ReaderOptions o;
    try {
        read_all(path, o);
        FAIL("expected an error");
    } catch (const DataError& e) {
        CHECK(std::string(e.what()).find("--s_srs") != std::string::npos);
        CHECK(std::string(e.what()).find("FID 2") != std::string::npos);
    }
}

TEST_CASE("polygons: point-on-surface lies inside a U shape, the centroid does not") {
    io::GdalSession gdal;
    test::TempDir dir;
    const std::string u = R"({"type":"Polygon","coordinates":[[[0,0],[3,0],[3,3],[2,3],[2,1],[1,1],[1,3],[0,3],[0,0]]]})";
    const auto path = write(dir, "u.geojsonl", feature(1, u));
    io::ReaderOptions o;
    auto b = read_all(path, o);
    REQUIRE(b.size() == 1);
    const bool inside = (b.lon[0] <= 1 || b.lon[0] >= 2 || b.lat[0] <= 1);
    CHECK(inside);
    o.point = io::PointMode::Centroid;
    b = read_all(path, o);
    CHECK(b.lon[0] == doctest::Approx(1.5));
    CHECK(b.lat[0] > 1.0);  // in the notch of the U
    CHECK(b.features[0]->GetGeometryRef()->getGeometryType() == wkbPolygon);  // polygons are kept
}

TEST_CASE("null geometry: an error naming the FID, or skipped and counted") {
    io::GdalSession gdal;
    test::TempDir dir;
    const auto path = write(dir, "n.geojsonl",
                            feature(1, R"({"type":"Point","coordinates":[1,2]})") + feature(2, "null") +
                                feature(3, R"({"type":"Point","coordinates":[3,4]})"));
    try {
        read_all(path);
        FAIL("expected an error");
    } catch (const DataError& e) {
        CHECK(std::string(e.what()).find("FID 1: null geometry") != std::string::npos);
        CHECK(std::string(e.what()).find("n.geojsonl") != std::string::npos);
    }
    io::ReaderOptions o;
    o.skip_invalid = true;
    io::VectorReader r(path, o);
    io::FeatureBatch b;
    CHECK(r.next(b, 10));
    CHECK(b.size() == 2);
    CHECK(r.skipped() == 1);
}

TEST_CASE("latitudes beyond the poles are rejected") {
    io::GdalSession gdal;
    test::TempDir dir;
    const auto path = write(dir, "bad.csv", "lon,lat\n0,0\n0,95\n");
    io::ReaderOptions o;
    o.s_srs = "EPSG:4326";
    CHECK_THROWS_AS(read_all(path, o), DataError);
}

TEST_CASE("missing files, layers and bad filters name what is wrong") {
    io::GdalSession gdal;
    test::TempDir dir;
    CHECK_THROWS_WITH_AS(io::VectorReader(dir.file("nope.shp"), {}), doctest::Contains("nope.shp"), DataError);
    const auto path = write(dir, "p.csv", "lon,lat,v\n1,2,3\n");
    io::ReaderOptions o;
    o.layer = "other";
    CHECK_THROWS_WITH_AS(io::VectorReader(path, o), doctest::Contains("'other'"), DataError);
    o.layer.clear();
    o.where = "no_such_field > 1";
    CHECK_THROWS_WITH_AS(io::VectorReader(path, o), doctest::Contains("--where"), DataError);
    o.where = "v > 2";
    CHECK(read_all(path, o).size() == 1);
}
