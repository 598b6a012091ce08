// Queen/rook contiguity built from polygons equals the weights PySAL and GeoDa
// ship (.gal files) for real data sets: Columbus (queen), STL and SIDS2 (rook),
// and the 3085 US counties of NCOVR (both) when the shared data folder is present.
#include <doctest/doctest.h>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

#include "core/errors.h"
#include "io/gdal_session.h"
#include "io/polygon_contiguity.h"

using namespace geoenc;

namespace {

using Neighbours = std::map<std::string, std::set<std::string>>;

// A .gal file as id -> neighbour ids. Header: "n" or "0 n name idfield".
Neighbours read_gal(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    std::string header;
    std::getline(in, header);
    Neighbours out;
    std::string id;
    int k = 0;
    while (in >> id >> k) {
        auto& row = out[id];
        for (int j = 0; j < k; ++j) {
            std::string nb;
            in >> nb;
            row.insert(nb);
        }
    }
    return out;
}

struct Layer {
    GDALDatasetUniquePtr ds;
    std::vector<OGRFeatureUniquePtr> features;
    std::vector<const OGRGeometry*> geometries;
};

Layer read_layer(const std::string& path) {
    Layer l;
    l.ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    REQUIRE(l.ds);
    for (auto& f : *l.ds->GetLayer(0)) {
        l.geometries.push_back(f->GetGeometryRef());
        l.features.push_back(std::move(f));
    }
    return l;
}

// The weights as id -> neighbour ids; ids from a field, or 1-based feature order.
Neighbours as_ids(const stats::SpatialWeights& w, const Layer& l, const char* id_field) {
    auto id = [&](std::int64_t i) {
        return id_field ? std::string(l.features[i]->GetFieldAsString(id_field)) : std::to_string(i + 1);
    };
    Neighbours out;
    for (std::int64_t i = 0; i < w.n; ++i) {
        auto& row = out[id(i)];
        for (auto k = w.offsets[i]; k < w.offsets[i + 1]; ++k) row.insert(id(w.neighbors[k]));
    }
    return out;
}

// Reports the first few differing rows rather than one opaque inequality.
void check_equal(const Neighbours& got, const Neighbours& want) {
    CHECK(got.size() == want.size());
    int shown = 0;
    for (const auto& [id, row] : want) {
        auto it = got.find(id);
        const bool same = it != got.end() && it->second == row;
        if (!same && shown++ < 5) {
            std::ostringstream msg;
            msg << "id " << id << ": want";
            for (auto& x : row) msg << ' ' << x;
            msg << ", got";
            if (it != got.end())
                for (auto& x : it->second) msg << ' ' << x;
            FAIL_CHECK(msg.str());
        }
    }
    CHECK(shown == 0);
}

const std::string kData = std::string(GEOENC_TEST_DATA) + "/moran/";

}  // namespace

TEST_CASE("columbus queen contiguity equals columbus.gal and the esda edge list") {
    io::GdalSession session;
    Layer l = read_layer(kData + "columbus.shp");
    const stats::SpatialWeights w = io::polygon_contiguity(l.geometries, io::Contiguity::Queen);
    REQUIRE(w.n == 49);
    CHECK(w.transform == "o");
    CHECK(w.offsets.back() == std::int64_t(w.neighbors.size()));
    CHECK(w.values == std::vector<double>(w.neighbors.size(), 1.0));
    check_equal(as_ids(w, l, nullptr), read_gal(kData + "columbus.gal"));

    // The 0-based edge list, in the order esda's W lists them (ascending here too).
    std::ifstream edges(kData + "columbus_queen_edges.csv");
    std::string line;
    std::getline(edges, line);
    std::vector<std::pair<int, int>> want, got;
    while (std::getline(edges, line)) {
        const auto comma = line.find(',');
        want.emplace_back(std::stoi(line.substr(0, comma)), std::stoi(line.substr(comma + 1)));
    }
    for (std::int64_t i = 0; i < w.n; ++i)
        for (auto k = w.offsets[i]; k < w.offsets[i + 1]; ++k) got.emplace_back(int(i), w.neighbors[k]);
    std::sort(want.begin(), want.end());
    CHECK(got == want);
}

// stl.gal and sids2.gal (GeoDa) are rook files: our rook equals them, and our
// queen adds only pairs that meet at a corner (queen but not rook).
TEST_CASE("stl and sids2 rook contiguity equal their .gal files") {
    io::GdalSession session;
    for (auto [shp, gal, id] : {std::tuple{"stl_hom.shp", "stl.gal", (const char*)nullptr},
                                std::tuple{"sids2.shp", "sids2.gal", "FIPSNO"}}) {
        CAPTURE(shp);
        Layer l = read_layer(kData + shp);
        const Neighbours rook = as_ids(io::polygon_contiguity(l.geometries, io::Contiguity::Rook), l, id);
        const Neighbours queen = as_ids(io::polygon_contiguity(l.geometries, io::Contiguity::Queen), l, id);
        check_equal(rook, read_gal(kData + gal));
        for (const auto& [i, row] : rook)
            CHECK(std::includes(queen.at(i).begin(), queen.at(i).end(), row.begin(), row.end()));
    }
}

TEST_CASE("rook is a subset of queen, and a corner touch is queen only") {
    io::GdalSession session;
    // Three unit squares: A and B share an edge, C touches B at one corner.
    const char* wkt[] = {"POLYGON((0 0,1 0,1 1,0 1,0 0))", "POLYGON((1 0,2 0,2 1,1 1,1 0))",
                         "POLYGON((2 1,3 1,3 2,2 2,2 1))", "POLYGON((10 10,11 10,11 11,10 10))"};
    std::vector<std::unique_ptr<OGRGeometry>> owned;
    std::vector<const OGRGeometry*> g;
    for (const char* t : wkt) {
        OGRGeometry* geom = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkt(t, nullptr, &geom) == OGRERR_NONE);
        owned.emplace_back(geom);
        g.push_back(geom);
    }
    g.push_back(nullptr);  // a null geometry: an island, not an error
    const auto queen = io::polygon_contiguity(g, io::Contiguity::Queen);
    const auto rook = io::polygon_contiguity(g, io::Contiguity::Rook);
    CHECK(queen.offsets == std::vector<std::int64_t>{0, 1, 3, 4, 4, 4});
    CHECK(queen.neighbors == std::vector<std::int32_t>{1, 0, 2, 1});
    CHECK(rook.offsets == std::vector<std::int64_t>{0, 1, 2, 2, 2, 2});
    CHECK(rook.neighbors == std::vector<std::int32_t>{1, 0});

    // Shift C by 0.001: no longer touching, until the snapping tolerance covers the gap.
    owned[2]->toPolygon()->getExteriorRing()->setPoint(0, 2.001, 1.0);
    owned[2]->toPolygon()->getExteriorRing()->setPoint(4, 2.001, 1.0);
    CHECK(io::polygon_contiguity(g, io::Contiguity::Queen).cardinality(2) == 0);
    CHECK(io::polygon_contiguity(g, io::Contiguity::Queen, 0.01).cardinality(2) == 1);
    CHECK_THROWS_AS(io::polygon_contiguity(g, io::Contiguity::Queen, -1), UsageError);
}

TEST_CASE("contiguity of lines is an error naming the type") {
    io::GdalSession session;
    OGRGeometry* geom = nullptr;
    REQUIRE(OGRGeometryFactory::createFromWkt("LINESTRING(0 0,1 1)", nullptr, &geom) == OGRERR_NONE);
    std::unique_ptr<OGRGeometry> owned(geom);
    CHECK_THROWS_WITH_AS(io::polygon_contiguity({geom}, io::Contiguity::Queen),
                         doctest::Contains("Line String"), DataError);
}

// The NCOVR counties (3085 polygons, 1.4 MB) stay in the shared data folder.
TEST_CASE("nat: queen equals nat.gal, rook equals ncovr_rook.gal") {
    const std::string dir = GEOENC_SHARED_DATA "/nat/";
    if (!std::filesystem::exists(dir + "nat.shp")) {
        MESSAGE("skipped: no " << dir << "nat.shp");
        return;
    }
    io::GdalSession session;
    Layer nat = read_layer(dir + "nat.shp");
    REQUIRE(nat.features.size() == 3085);
    check_equal(as_ids(io::polygon_contiguity(nat.geometries, io::Contiguity::Queen), nat, "FIPSNO"),
                read_gal(dir + "nat.gal"));
    check_equal(as_ids(io::polygon_contiguity(nat.geometries, io::Contiguity::Rook), nat, "FIPSNO"),
                read_gal(dir + "ncovr_rook.gal"));
}
