#include <doctest/doctest.h>

#include <sstream>
#include <vector>

#include "cli/arg_spec.h"
#include "core/errors.h"

using namespace geoenc;
using namespace geoenc::cli;

namespace {
ArgTable table() {
    ArgTable t;
    t.add({.name = "overwrite", .help = "Replace.", .group = "Output"});
    t.add({.name = "of", .short_name = 'f', .kind = ArgKind::Value, .metavar = "FORMAT", .help = "Format.", .group = "Output"});
    t.add({.name = "lco", .kind = ArgKind::List, .metavar = "NAME=VALUE", .help = "Layer option.", .group = "Output"});
    t.add({.name = "config", .kind = ArgKind::KeyValue, .help = "GDAL config.", .group = "General"});
    t.add({.name = "device", .kind = ArgKind::Value, .metavar = "D", .help = "Device.", .group = "General", .choices = {"cpu", "cuda"}, .default_value = "cpu"});
    t.positional({"INPUT", "in"});
    return t;
}

ParsedArgs parse(std::vector<const char*> argv) {
    argv.insert(argv.begin(), "tool");
    return table().parse(int(argv.size()), argv.data());
}
}  // namespace

TEST_CASE("GNU and GDAL spellings both parse") {
    auto a = parse({"in.shp", "--of", "GPKG", "--lco", "A=1", "-lco", "B=2", "-overwrite"});
    CHECK(a.value("of") == "GPKG");
    CHECK(a.list("lco") == std::vector<std::string>{"A=1", "B=2"});
    CHECK(a.flag("overwrite"));
    CHECK(a.positionals() == std::vector<std::string>{"in.shp"});
    CHECK(parse({"-f", "CSV"}).value("of") == "CSV");
    CHECK(parse({"-of", "CSV"}).value("of") == "CSV");
}

TEST_CASE("--config takes KEY VALUE or KEY=VALUE") {
    auto a = parse({"--config", "GDAL_CACHEMAX", "512", "--config", "A=B", "x"});
    const auto p = a.pairs("config");
    REQUIRE(p.size() == 2);
    CHECK(p[0] == std::make_pair(std::string("GDAL_CACHEMAX"), std::string("512")));
    CHECK(p[1] == std::make_pair(std::string("A"), std::string("B")));
    CHECK(a.positionals() == std::vector<std::string>{"x"});
    CHECK_THROWS_AS(parse({"--config", "KEY"}), UsageError);
}

TEST_CASE("defaults, choices and unknown options") {
    CHECK(parse({}).value("device") == "cpu");
    CHECK_FALSE(parse({}).given("device"));
    CHECK_THROWS_AS(parse({"--device", "tpu"}), UsageError);
    CHECK(parse({"--device", "CUDA"}).value("device") == "cuda");  // any case, the table's spelling
    CHECK_THROWS_AS(parse({"--nope"}), UsageError);
    CHECK_THROWS_AS(parse({"--of"}), UsageError);
    CHECK_THROWS_AS(parse({"--over"}), UsageError);  // no prefix guessing: scripts must spell options out
}

TEST_CASE("help, markdown and completion list come from the same table") {
    std::ostringstream help, md, list;
    const ArgTable t = table();
    t.print_help(help, "tool", "Does things.");
    t.print_markdown(md);
    t.print_option_list(list);
    for (const auto& s : t.specs()) {
        CHECK(help.str().find("--" + s.name) != std::string::npos);
        CHECK(md.str().find(s.name) != std::string::npos);
        CHECK(list.str().find("--" + s.name + "\t") != std::string::npos);
    }
    CHECK(list.str().find("--device\t\tvalue\tchoice\tcpu,cuda") != std::string::npos);
}

#include "cli/common_options.h"

TEST_CASE("two stdin inputs are a usage error") {
    CHECK_NOTHROW(VectorInputOptions::check_stdin_use({"-", "b.gpkg"}));
    CHECK_THROWS_AS(VectorInputOptions::check_stdin_use({"-", "-"}), UsageError);
}

TEST_CASE("multi-number options (--te A B C D) and negative numbers as values") {
    ArgTable t = table();
    t.add({.name = "te", .kind = ArgKind::Value, .metavar = "XMIN YMIN XMAX YMAX", .help = "Extent.", .group = "Grid", .tokens = 4});
    t.add({.name = "ref", .kind = ArgKind::List, .metavar = "LON,LAT", .help = "Reference.", .group = "Grid"});
    std::vector<const char*> argv{"tool", "--te", "-180", "-90", "180", "90", "--ref", "-10,5", "--ref", "3,4", "out.tif"};
    const ParsedArgs a = t.parse(int(argv.size()), argv.data());
    CHECK(a.value("te") == "-180 -90 180 90");
    CHECK(a.list("ref") == std::vector<std::string>{"-10,5", "3,4"});
    CHECK(a.positionals() == std::vector<std::string>{"out.tif"});
    std::vector<const char*> short_argv{"tool", "--te", "0", "0", "1"};
    CHECK_THROWS_WITH_AS(t.parse(int(short_argv.size()), short_argv.data()), doctest::Contains("--te: needs 4 values"),
                         UsageError);
}
