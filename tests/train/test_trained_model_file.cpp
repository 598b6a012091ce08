// Trained models in .geoenc files (format version 2): round trips, the same
// predictions after loading (point-wise and separable), determinism, corrupt configs.
#include <ATen/ATen.h>
#undef CHECK  // glog's CHECK (via ATen) must not replace doctest's
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "core/location_encoder.h"
#include "core/model_file.h"
#include "core/model_info.h"
#include "train/trainer.h"

using namespace geoenc;
using namespace geoenc::train;
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("geoenc_train_test_" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

std::unique_ptr<TrainedModel> small_fit(const FitOptions& o, std::vector<double>& lon, std::vector<double>& lat) {
    for (int i = 0; i < 400; ++i) {
        lon.push_back(-180.0 + 0.9 * i);
        lat.push_back(80.0 * std::sin(0.37 * i));
    }
    Targets t;
    t.target = "band";
    t.labels = {"1", "2", "10"};
    for (std::size_t i = 0; i < lon.size(); ++i) t.classes.push_back(lat[i] > 30 ? 0 : lat[i] > -30 ? 1 : 2);
    return Trainer(lon.data(), lat.data(), lon.size(), t, o).fit(random_split(lon.size(), 0.1, o.seed));
}

}  // namespace

TEST_CASE("a trained model saves as format version 2 and predicts the same after loading") {
    TempDir dir;
    std::vector<double> lon, lat;
    FitOptions o;
    o.pe = "sh:L=6";
    o.net = parse_net_spec("siren:32x2");
    o.epochs = 5;
    auto model = small_fit(o, lon, lat);
    const fs::path file = dir.path / "m.geoenc";
    model->save(file.string(), false, "{\"note\": \"unit test\"}");
    CHECK_THROWS_AS(model->save(file.string(), false, "{}"), DataError);  // no overwrite without asking

    const LoadedModel m = load_model_file(file.string());
    CHECK(m.format_version == 2);
    REQUIRE(m.config.predictor);
    CHECK(m.config.predictor->labels == std::vector<std::string>{"1", "2", "10"});
    CHECK(m.config.predictor->target == "band");
    CHECK(m.config.predictor->training == "{\"note\":\"unit test\"}");
    CHECK(m.config.dim == 3);

    auto encoder = open_encoder(file.string(), {DeviceKind::Cpu, Precision::Float32});
    REQUIRE(encoder->predictor());
    CHECK(encoder->dim() == 3);
    std::vector<double> loaded(lon.size() * 3);
    encoder->encode(lon.data(), lat.data(), lon.size(), loaded.data());
    const auto direct = model->predict(lon.data(), lat.data(), lon.size());
    for (std::size_t i = 0; i < direct.size(); ++i) CHECK(loaded[i] == direct[i]);
    for (std::size_t i = 0; i < lon.size(); ++i)
        CHECK(loaded[3 * i] + loaded[3 * i + 1] + loaded[3 * i + 2] == doctest::Approx(1.0));

    // The separable grid path gives the same probabilities.
    auto grid = encoder->grid_encoder();
    REQUIRE(grid);
    const double glat[] = {-60.5, 0.25, 45.0}, glon[] = {-179.5, -30.0, 0.0, 90.5};
    std::vector<double> rows(3 * 4 * 3), points(3 * 4 * 3);
    grid->encode_rows(glat, 3, glon, 4, rows.data());
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 4; ++c) encoder->encode(&glon[c], &glat[r], 1, &points[std::size_t(r * 4 + c) * 3]);
    for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i] == doctest::Approx(points[i]).epsilon(1e-6));

    // Converting a trained model keeps everything.
    const fs::path copy = dir.path / "copy.geoenc";
    convert_model(file.string(), copy.string(), false);
    const LoadedModel c = load_model_file(copy.string());
    REQUIRE(c.config.predictor);
    CHECK(c.config.predictor->labels == m.config.predictor->labels);
}

TEST_CASE("the same seed gives a byte-identical model; another seed does not") {
    TempDir dir;
    FitOptions o;
    o.pe = "sh:L=4";
    o.net = parse_net_spec("siren:16x1");
    o.epochs = 3;
    std::vector<double> lon1, lat1, lon2, lat2, lon3, lat3;
    small_fit(o, lon1, lat1)->save((dir.path / "a.geoenc").string(), false, "{}");
    small_fit(o, lon2, lat2)->save((dir.path / "b.geoenc").string(), false, "{}");
    o.seed = 1;
    small_fit(o, lon3, lat3)->save((dir.path / "c.geoenc").string(), false, "{}");
    CHECK(read_all(dir.path / "a.geoenc") == read_all(dir.path / "b.geoenc"));
    CHECK(read_all(dir.path / "a.geoenc") != read_all(dir.path / "c.geoenc"));
}

TEST_CASE("a probe model stores the base network and its head") {
    TempDir dir;
    FitOptions o;
    o.base_model = "sh:L=5";
    o.head = parse_head_spec("linear");
    o.epochs = 3;
    std::vector<double> lon, lat;
    auto model = small_fit(o, lon, lat);
    const fs::path file = dir.path / "probe.geoenc";
    model->save(file.string(), false, "{}");
    const LoadedModel m = load_model_file(file.string());
    REQUIRE(m.head);
    CHECK(m.config.head_widths == std::vector<int64_t>{25, 3});
    CHECK(m.config.predictor->head == "linear");
    // A trained model is not a base for another probe.
    Targets t;
    t.labels = {"a", "b"};
    t.classes = {0, 1};
    FitOptions again;
    again.base_model = file.string();
    const double x[] = {0, 1};
    CHECK_THROWS_AS(Trainer(x, x, 2, t, again), UsageError);
}

TEST_CASE("corrupt predictor configs are data errors") {
    TempDir dir;
    std::vector<double> lon, lat;
    FitOptions o;
    o.pe = "sh:L=3";
    o.net = parse_net_spec("linear");
    o.epochs = 1;
    const fs::path file = dir.path / "m.geoenc";
    small_fit(o, lon, lat)->save(file.string(), false, "{}");
    const std::string good = read_all(file);
    auto mutate = [&](const std::string& from, const std::string& to) {
        std::string bytes = good;
        const auto at = bytes.find(from);
        REQUIRE(at != std::string::npos);
        bytes.replace(at, from.size(), to);
        return bytes;
    };
    CHECK_THROWS_AS(parse_model_file(mutate("\\\"task\\\":\\\"classification\\\"", "\\\"task\\\":\\\"clustering\\\"  "), "x"), DataError);
    CHECK_THROWS_AS(parse_model_file(mutate("\"format_version\":\"2\"", "\"format_version\":\"1\""), "x"), DataError);
    CHECK_THROWS_AS(parse_model_file(mutate("\"format_version\":\"2\"", "\"format_version\":\"3\""), "x"), DataError);
    // Two labels for a network with three outputs.
    CHECK_THROWS_AS(parse_model_file(mutate("\\\"1\\\",\\\"2\\\",\\\"10\\\"", "\\\"1\\\",\\\"2\\\"     "), "x"), DataError);
}
