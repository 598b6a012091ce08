#include <doctest/doctest.h>

#include <fstream>

#include "core/errors.h"
#include "io/atomic_output.h"
#include "temp_dir.h"

using namespace geoenc;

namespace {
void touch(const std::string& path, const std::string& text = "x") { std::ofstream(path) << text; }
std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("an uncommitted output leaves nothing behind") {
    test::TempDir dir;
    {
        io::AtomicOutput out(dir.file("a.gpkg"), false);
        CHECK(out.temp_path() != out.final_path());
        CHECK(out.temp_path().find(dir.path.string()) == 0);  // same folder: rename stays atomic
        touch(out.temp_path());
        touch(out.temp_path() + "-journal");
    }
    CHECK(dir.entries() == 0);
}

TEST_CASE("commit renames the file and its shapefile sidecars") {
    test::TempDir dir;
    io::AtomicOutput out(dir.file("roads.shp"), false);
    const std::string stem = out.temp_path().substr(0, out.temp_path().size() - 4);
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj"}) touch(stem + ext);
    out.commit();
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj"}) CHECK(std::filesystem::exists(dir.file(std::string("roads") + ext)));
    CHECK(dir.entries() == 4);
}

TEST_CASE("an existing output is refused without overwrite and replaced with it") {
    test::TempDir dir;
    touch(dir.file("a.gpkg"), "old");
    CHECK_THROWS_AS(io::AtomicOutput(dir.file("a.gpkg"), false), DataError);
    CHECK(slurp(dir.file("a.gpkg")) == "old");
    io::AtomicOutput out(dir.file("a.gpkg"), true);
    touch(out.temp_path(), "new");
    CHECK(slurp(dir.file("a.gpkg")) == "old");  // untouched until commit
    out.commit();
    CHECK(slurp(dir.file("a.gpkg")) == "new");
}

TEST_CASE("a missing folder is reported up front") {
    CHECK_THROWS_AS(io::AtomicOutput("/nonexistent-geoenc-dir/a.gpkg", false), DataError);
}

TEST_CASE("commit renames whatever the driver wrote under the temporary stem; failures remove it all") {
    test::TempDir dir;
    {
        io::AtomicOutput out(dir.file("e.bin"), false);
        const std::string stem = out.temp_path().substr(0, out.temp_path().size() - 4);
        touch(out.temp_path());
        touch(stem + ".hdr");
        touch(out.temp_path() + ".aux.xml");
        touch(out.temp_path() + "-journal");
        out.commit();
    }
    CHECK(std::filesystem::exists(dir.file("e.bin")));
    CHECK(std::filesystem::exists(dir.file("e.hdr")));
    CHECK(std::filesystem::exists(dir.file("e.bin.aux.xml")));
    CHECK(dir.entries() == 3);  // the journal is not part of the dataset
    {
        io::AtomicOutput out(dir.file("f.bin"), false);
        const std::string stem = out.temp_path().substr(0, out.temp_path().size() - 4);
        touch(out.temp_path());
        touch(stem + ".hdr");
        touch(out.temp_path() + ".aux.xml");
    }
    CHECK(dir.entries() == 3);
}

TEST_CASE("overwrite never touches other datasets that share the output's stem") {
    // geoenc-embed --overwrite sids2.shp sids2.gpkg: the input's .shx and .dbf stay
    test::TempDir dir;
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj"}) touch(dir.file(std::string("sids2") + ext), "input");
    touch(dir.file("sids2.gpkg"), "old");
    touch(dir.file("sids2.gpkg.aux.xml"), "stale statistics");
    io::AtomicOutput out(dir.file("sids2.gpkg"), true);
    touch(out.temp_path(), "new");
    out.commit();
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj"})
        CHECK(slurp(dir.file(std::string("sids2") + ext)) == "input");
    CHECK(slurp(dir.file("sids2.gpkg")) == "new");
    CHECK_FALSE(std::filesystem::exists(dir.file("sids2.gpkg.aux.xml")));
    CHECK(dir.entries() == 5);
}

TEST_CASE("messages name a live output's final file, not its hidden temporary one") {
    test::TempDir dir;
    std::string temp;
    {
        io::AtomicOutput out(dir.file("o4.gpkg"), false);
        temp = out.temp_path();
        CHECK(io::with_final_names("dataset " + temp + " does not support FOO") ==
              "dataset " + dir.file("o4.gpkg") + " does not support FOO");
    }
    CHECK(io::with_final_names("dataset " + temp) == "dataset " + temp);  // gone with the output
}

TEST_CASE("an output without an extension touches no other hidden file of a similar name") {
    // the temporary name of "cfg" is ".cfg.geoenc-tmp-PID": its stem is not ".cfg"
    test::TempDir dir;
    touch(dir.file(".cfg.local"), "mine");
    touch(dir.file(".cfg-notes"), "mine");
    {
        io::AtomicOutput failed(dir.file("cfg"), false);
        touch(failed.temp_path());
    }
    CHECK(slurp(dir.file(".cfg.local")) == "mine");
    io::AtomicOutput out(dir.file("cfg"), false);
    touch(out.temp_path(), "new");
    out.commit();
    CHECK(slurp(dir.file("cfg")) == "new");
    CHECK(slurp(dir.file(".cfg.local")) == "mine");
    CHECK(slurp(dir.file(".cfg-notes")) == "mine");
    CHECK(dir.entries() == 3);
}
