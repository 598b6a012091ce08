// The gdalwarp-style grid (--te with --tr or --ts), pixel centres to lon/lat
// (wrapping, projections, points off the globe) and the packing of values
// into the output types.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "core/errors.h"
#include "io/gdal_session.h"
#include "io/raster_grid.h"
#include "io/raster_writer.h"

using namespace geoenc;

namespace {

io::GridRequest request(std::array<double, 4> te, std::array<double, 2> tr, std::string crs = "") {
    io::GridRequest r;
    r.te = te;
    r.tr = tr;
    r.t_srs = crs;
    return r;
}

}  // namespace

TEST_CASE("--tr follows gdalwarp: whole pixels from xmin, ymax") {
    io::GdalSession session;
    const io::RasterGrid g = io::make_grid(request({-180, -90, 180, 90}, {0.7, 0.7}));
    CHECK(g.width == 514);   // floor(360 / 0.7 + 0.5)
    CHECK(g.height == 257);  // floor(180 / 0.7 + 0.5)
    CHECK(g.geotransform[0] == -180);
    CHECK(g.geotransform[3] == 90);
    CHECK(g.centre_x(0, 0) == doctest::Approx(-179.65));
    CHECK(g.centre_y(0, 0) == doctest::Approx(89.65));
    const io::RasterGrid part = g.rows(100, 10);
    CHECK(part.height == 10);
    CHECK(part.centre_y(0, 0) == doctest::Approx(g.centre_y(0, 100)));
}

TEST_CASE("--ts divides the extent") {
    io::GdalSession session;
    io::GridRequest r;
    r.te = {0, 0, 10, 5};
    r.ts = {{4, 2}};
    const io::RasterGrid g = io::make_grid(r);
    CHECK(g.geotransform[1] == 2.5);
    CHECK(g.geotransform[5] == -2.5);
}

TEST_CASE("bad grids are usage errors naming the option") {
    io::GdalSession session;
    CHECK_THROWS_WITH_AS(io::make_grid(request({10, 0, 5, 1}, {1, 1})), doctest::Contains("--te"), UsageError);
    CHECK_THROWS_WITH_AS(io::make_grid(request({0, 0, 5, 1}, {0, 1})), doctest::Contains("--tr"), UsageError);
    CHECK_THROWS_WITH_AS(io::make_grid(request({0, 0, 5, 1}, {1, 1}, "EPSG:0")), doctest::Contains("--t_srs"), UsageError);
    CHECK_THROWS_WITH_AS(io::make_grid(request({0, -91, 5, 1}, {1, 1})), doctest::Contains("--te"), UsageError);
    io::GridRequest none;
    CHECK_THROWS_AS(io::make_grid(none), UsageError);
}

TEST_CASE("longitudes wrap into [-180, 180)") {
    io::GdalSession session;
    CHECK(io::wrap_longitude(190) == doctest::Approx(-170));
    CHECK(io::wrap_longitude(180) == -180);
    CHECK(io::wrap_longitude(-180) == -180);
    CHECK(io::wrap_longitude(-190) == doctest::Approx(170));
    CHECK(io::wrap_longitude(12.5) == 12.5);
}

TEST_CASE("pixel centres: lon/lat rows, projections, and no lon/lat off the globe") {
    io::GdalSession session;
    io::PixelLocator lonlat(io::make_grid(request({170, -10, 190, 10}, {5, 5})));
    CHECK(lonlat.lonlat_rows());
    double lon[4], lat[4];
    unsigned char ok[4];
    lonlat.locate(0, 0, 4, lon, lat, ok);
    CHECK(lon[0] == 172.5);
    CHECK(lon[2] == -177.5);  // 182.5 wrapped
    CHECK(lat[0] == 7.5);
    CHECK(ok[3] == 1);

    io::GridRequest view;  // 7 x 7 pixels of 2000 km over an orthographic view of the globe
    view.te = {-7e6, -7e6, 7e6, 7e6};
    view.ts = {{7, 7}};
    view.t_srs = "+proj=ortho +lat_0=0 +lon_0=0 +R=6371000";
    io::PixelLocator ortho(io::make_grid(view));
    CHECK_FALSE(ortho.lonlat_rows());
    ortho.locate(0, 0, 2, lon, lat, ok);
    CHECK(ok[0] == 0);  // a corner, (-6000, 6000) km: off the globe
    ortho.locate(3, 3, 1, lon, lat, ok);
    CHECK(ok[0] == 1);  // the centre of the view
    CHECK(std::abs(lon[0]) < 1e-9);
    CHECK(std::abs(lat[0]) < 1e-9);
}

TEST_CASE("values pack into the output type with scale, offset and nodata") {
    io::GdalSession session;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    io::RasterOutputOptions o;
    o.type = io::RasterType::Int16;
    o.scale = 0.01;
    o.offset = 1.0;
    const io::RasterPacker p(o);
    CHECK(p.nodata() == -32768);
    std::vector<unsigned char> out;
    const double v[4] = {1.5, nan, -1000.0, 1.0};
    p.pack(v, 4, out);
    std::int16_t s[4];
    std::memcpy(s, out.data(), sizeof s);
    CHECK(s[0] == 50);
    CHECK(s[1] == -32768);
    CHECK(s[2] == -32767);  // clamped, one above nodata
    CHECK(s[3] == 0);
    CHECK_THROWS_AS(io::parse_raster_type("Int8"), UsageError);
}
