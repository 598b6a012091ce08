// .gal / .gwt readers and writers.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "core/errors.h"
#include "stats/moran_fixtures.h"
#include "stats/weights_files.h"

using namespace geoenc::stats;
using geoenc::test::data_path;

namespace {

std::string temp_file(const std::string& name, const std::string& text) {
    const std::string path = "/tmp/geoenc_stats_test_" + name;
    std::ofstream(path) << text;
    return path;
}

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const geoenc::DataError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("the shipped .gal files read with their ids") {
    const auto stl = read_gal(data_path("moran/stl.gal"));
    CHECK(stl.n == 78);
    const auto sids = read_gal(data_path("moran/sids2.gal"));
    CHECK(sids.n == 100);
    CHECK(sids.ids[0] == "37009");
    CHECK(sids.cardinality(0) == 3);
    CHECK(sids.ids[sids.neighbors[0]] == "37189");
}

TEST_CASE(".gal and .gwt round trips keep ids, order and weights") {
    auto w = read_gal(data_path("moran/columbus.gal"));
    const auto gal = "/tmp/geoenc_stats_test_roundtrip.gal";
    write_gal(gal, w, "columbus", "POLYID");
    const auto back = read_gal(gal);
    CHECK(back.ids == w.ids);
    CHECK(back.offsets == w.offsets);
    CHECK(back.neighbors == w.neighbors);
    for (auto& v : w.values) v = 0.125 + v / 3.0;
    const auto gwt = "/tmp/geoenc_stats_test_roundtrip.gwt";
    write_gwt(gwt, w, "columbus", "POLYID");
    const auto g = read_gwt(gwt);
    CHECK(g.ids == w.ids);
    CHECK(g.neighbors == w.neighbors);
    CHECK(g.values == w.values);
    std::remove(gal);
    std::remove(gwt);
}

TEST_CASE(".gwt with islands needs the id list; reorder by ids") {
    const auto path = temp_file("islands.gwt", "0 3 pts ID\nb a 1.5\na b 1.5\n");
    CHECK(error_of([&] { read_gwt(path); }).find("islands need an id list") != std::string::npos);
    const auto w = read_gwt(path, {"a", "b", "c"});
    CHECK(w.n == 3);
    CHECK(w.cardinality(2) == 0);
    CHECK(w.neighbors == std::vector<std::int32_t>{1, 0});
    const auto r = reorder_by_ids(w, {"c", "b", "a"});
    CHECK(r.cardinality(0) == 0);
    CHECK(r.neighbors == std::vector<std::int32_t>{2, 1});
    std::remove(path.c_str());
}

TEST_CASE("file errors name the file and the line") {
    const auto bad_count = temp_file("bad.gal", "3\n1 2\n2 3\n2 x\n1\n3 1\n1\n");
    const auto e1 = error_of([&] { read_gal(bad_count); });
    CHECK(e1.find(bad_count + ":4:") != std::string::npos);
    const auto missing = temp_file("missing.gal", "2\n1 1\n3\n2 1\n1\n");
    const auto e2 = error_of([&] { read_gal(missing); });
    CHECK(e2.find(missing + ":") != std::string::npos);
    CHECK(e2.find("'3' is not an observation") != std::string::npos);
    const auto short_list = temp_file("short.gal", "2\n1 2\n2\n2 1\n1\n");
    CHECK(error_of([&] { read_gal(short_list); }).find("declares 2 neighbours") != std::string::npos);
    const auto bad_weight = temp_file("bad.gwt", "2\n1 2 0.5\n2 1 half\n");
    CHECK(error_of([&] { read_gwt(bad_weight); }).find(bad_weight + ":3: expected a weight") != std::string::npos);
    CHECK(error_of([&] { read_gal("/nonexistent/x.gal"); }).find("cannot open /nonexistent/x.gal") != std::string::npos);
    const auto island = temp_file("island.gal", "3\n1 1\n2\n2 1\n1\n3 0\n\n");
    const auto w = read_gal(island);
    CHECK(w.islands() == std::vector<std::int64_t>{2});
    for (const auto& p : {bad_count, missing, short_list, bad_weight, island}) std::remove(p.c_str());
}
