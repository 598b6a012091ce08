// geoenc's own model files (.geoenc, core/model_file.h): checkpoints survive the
// round trip bit for bit, and corrupt or truncated files are DataErrors, never crashes.
#include <ATen/ATen.h>
#undef CHECK  // glog's CHECK (via ATen) must not replace doctest's
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/location_encoder.h"
#include "core/model_file.h"
#include "core/model_info.h"
#include "core/networks.h"
#include "fixtures.h"

using namespace geoenc;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A fresh folder under the system temp folder, removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        static int serial = 0;
        path = fs::temp_directory_path() /
               ("geoenc-model-test-" + std::to_string(getpid()) + "-" + std::to_string(serial++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::vector<double> embed(const std::string& model, Precision p, const test::Points& pts) {
    auto enc = open_encoder(model, {DeviceKind::Cpu, p});
    std::vector<double> out(pts.lon.size() * enc->dim());
    enc->encode(pts.lon.data(), pts.lat.data(), pts.lon.size(), out.data());
    return out;
}

bool bit_identical(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

// A small valid model: sh:L=2 (4 features) into a 4 -> 3 linear map, float32.
std::string small_model() {
    TensorMap w;
    w["weight"] = at::arange(12, at::kFloat).reshape({3, 4}) / 7.0;
    w["bias"] = at::arange(3, at::kFloat) - 1.0;
    const Network net = Network::from_weights(NetKind::Linear, w);
    ModelFileConfig c;
    c.positional_encoding = "sh:L=2";
    c.source = "made-up.pt";
    c.source_sha256 = std::string(64, '0');
    c.created_by = "geoenc test";
    return model_file_bytes(c, &net);
}

// Header and data of a file, and back.
struct Parts {
    json header;
    std::string data;
};
Parts split(const std::string& bytes) {
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[std::size_t(i)]);
    return {json::parse(bytes.substr(8, std::size_t(n))), bytes.substr(8 + std::size_t(n))};
}
std::string join_text(const std::string& header, const std::string& data) {
    std::string out;
    for (int i = 0; i < 8; ++i) out.push_back(char((std::uint64_t(header.size()) >> (8 * i)) & 0xff));
    return out + header + data;
}
std::string join(const Parts& p) { return join_text(p.header.dump(), p.data); }

// The DataError message parsing `bytes` gives ("" if it parses). Any other
// exception fails the test.
std::string error_of(const std::string& bytes, const std::string& name = "bad.geoenc") {
    try {
        parse_model_file(bytes, name);
    } catch (const DataError& e) {
        return e.what();
    }
    return "";
}

// The config inside a header, as JSON, and a header with a changed config.
json config_of(const Parts& p) { return json::parse(p.header["__metadata__"]["config"].get<std::string>()); }
std::string with_config(Parts p, const json& config) {
    p.header["__metadata__"]["config"] = config.dump();
    return join(p);
}

const char* const kFixtures[] = {"satclip_L10_cap256_seed0_state_dict.pt", "satclip_L40_cap256_seed0_state_dict.pt",
                                 "satclip_lightning_L10_cap256_seed1.ckpt"};

}  // namespace

TEST_CASE("converted checkpoints give bit-identical embeddings") {
    const auto pts = test::read_points_csv("satclip_points.csv");
    TempDir dir;
    for (const char* fixture : kFixtures) {
        CAPTURE(fixture);
        const std::string ckpt = test::data_path(fixture);
        const std::string out = dir / (std::string(fixture) + ".geoenc");
        const ModelInfo written = convert_model(ckpt, out, false);
        CHECK(written.kind == "geoenc-model");
        CHECK(written.source == fixture);
        CHECK(written.source_sha256 == inspect_model(ckpt).sha256);
        for (Precision p : {Precision::Float32, Precision::Float64}) {
            CAPTURE(to_string(p));
            CHECK(bit_identical(embed(ckpt, p, pts), embed(out, p, pts)));
        }
        // The weights themselves, dtype included, are unchanged.
        const LoadedModel from_ckpt = load_model(ckpt), from_file = load_model_file(out);
        const TensorMap a = from_ckpt.network->weights(), b = from_file.network->weights();
        REQUIRE(a.size() == b.size());
        for (const auto& [key, t] : a) {
            CAPTURE(key);
            REQUIRE(b.count(key) == 1);
            CHECK(bool(b.at(key).scalar_type() == t.scalar_type()));
            CHECK(at::equal(b.at(key), t));
        }
        // Re-saving a .geoenc file gives the same bytes (provenance is carried over).
        const std::string again = dir / "again.geoenc";
        convert_model(out, again, false);
        CHECK(read_bytes(again) == read_bytes(out));
        fs::remove(again);
    }
    // Nothing but the outputs: no temporary file is left behind.
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir.path)) {
        CHECK(e.path().extension() == ".geoenc");
        ++files;
    }
    CHECK(files == 3);
}

TEST_CASE("model file layout: safetensors with geoenc metadata") {
    const std::string bytes = small_model();
    const Parts p = split(bytes);
    CHECK((8 + bytes.size() - p.data.size() - 8) % 8 == 0);  // data starts 8-byte aligned
    CHECK(p.header["__metadata__"]["format"] == "geoenc-model");
    CHECK(p.header["__metadata__"]["format_version"] == "1");
    CHECK(p.header["weight"]["dtype"] == "F32");
    CHECK(p.header["weight"]["shape"] == json::array({3, 4}));
    CHECK(p.header["bias"]["data_offsets"] == json::array({0, 12}));
    CHECK(p.header["weight"]["data_offsets"] == json::array({12, 60}));
    CHECK(p.data.size() == 60);
    const json c = config_of(p);
    CHECK(c["positional_encoding"] == "sh:L=2,convention=satclip");  // canonical
    CHECK(c["network"] == "linear");
    CHECK(c["widths"] == json::array({4, 3}));
    CHECK(c["dim"] == 3);
    CHECK(c.count("w0") == 0);

    const LoadedModel m = parse_model_file(bytes, "small.geoenc");
    CHECK(m.kind == "geoenc-model");
    CHECK(m.format_version == 1);
    CHECK(m.sha256.size() == 64);
    REQUIRE(m.network);
    CHECK(m.network->out_dim() == 3);
    CHECK(model_file_bytes(m.config, &*m.network) == bytes);
}

TEST_CASE("analytic encodings round-trip with no network") {
    TempDir dir;
    const std::string out = dir / "sh.geoenc";
    const ModelInfo info = convert_model("sh:L=3,convention=orthonormal", out, false);
    CHECK(info.network == "none");
    CHECK(info.output_dim == 9);
    CHECK(info.parameters == 0);
    const auto pts = test::read_points_csv("satclip_points.csv");
    CHECK(bit_identical(embed("sh:L=3,convention=orthonormal", Precision::Float64, pts),
                        embed(out, Precision::Float64, pts)));
}

TEST_CASE("saving is atomic and refuses an existing file without overwrite") {
    TempDir dir;
    const std::string out = dir / "m.geoenc";
    write_bytes(out, "precious");
    const LoadedModel m = parse_model_file(small_model(), "m.geoenc");
    CHECK_THROWS_AS(save_model_file(out, m.config, &*m.network, false), DataError);
    CHECK(read_bytes(out) == "precious");
    CHECK_THROWS_AS(convert_model("sh:L=2", out, false), DataError);
    CHECK(read_bytes(out) == "precious");
    save_model_file(out, m.config, &*m.network, true);
    CHECK(read_bytes(out) == small_model());
    CHECK_THROWS_AS(save_model_file(dir / "nodir/m.geoenc", m.config, &*m.network), DataError);
    CHECK_THROWS_AS(convert_model("sh:L=2", dir / "m.pt", true), UsageError);
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("missing and truncated files are DataErrors naming the file") {
    TempDir dir;
    CHECK_THROWS_WITH_AS(load_model_file(dir / "nosuch.geoenc"), doctest::Contains("nosuch.geoenc: no such"), DataError);
    CHECK_THROWS_AS(open_encoder(dir / "nosuch.geoenc", {DeviceKind::Cpu, Precision::Float32}), DataError);
    const std::string bytes = small_model();
    // Every prefix of the file is rejected (some by length, some as broken JSON).
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        CAPTURE(n);
        const std::string e = error_of(bytes.substr(0, n), "cut.geoenc");
        CHECK(e.rfind("cut.geoenc: ", 0) == 0);
    }
    // And through the file path, as geoenc-embed sees it.
    const std::string cut = dir / "cut.geoenc";
    write_bytes(cut, bytes.substr(0, bytes.size() - 1));
    CHECK_THROWS_WITH_AS(open_encoder(cut, {DeviceKind::Cpu, Precision::Float32}), doctest::Contains("cut.geoenc"),
                         DataError);
    // A converted checkpoint cut short.
    const std::string big = dir / "big.geoenc";
    convert_model(test::data_path(kFixtures[0]), big, false);
    const std::string full = read_bytes(big);
    for (std::size_t n : {std::size_t(0), std::size_t(7), std::size_t(8), std::size_t(100), full.size() / 2, full.size() - 8,
                          full.size() - 1}) {
        CAPTURE(n);
        CHECK(!error_of(full.substr(0, n)).empty());
    }
    // Extra bytes at the end belong to no tensor.
    CHECK(error_of(full + "x").find("belong to no tensor") != std::string::npos);
}

TEST_CASE("corrupt headers are DataErrors") {
    const std::string bytes = small_model();
    const Parts good = split(bytes);
    auto contains = [](const std::string& e, const char* what) {
        INFO(e);
        INFO(std::string(what));
        CHECK(e.rfind("bad.geoenc: ", 0) == 0);
        CHECK(e.find(what) != std::string::npos);
    };
    // Header length.
    std::string huge = bytes;
    huge[6] = 0x7f;
    contains(error_of(huge), "over 100 MiB");
    std::string past = bytes;
    past[0] = char(0xff), past[1] = char(0x0f);
    contains(error_of(past), "runs past the end");
    // Not JSON, not an object, trailing garbage, invalid UTF-8.
    contains(error_of(join_text("{\"a\": ", good.data)), "not valid JSON");
    contains(error_of(join_text("[1, 2]  ", good.data)), "not a JSON object");
    contains(error_of(join_text(good.header.dump() + "}", good.data)), "not valid JSON");
    contains(error_of(join_text("{\"\xff\": 1}", good.data)), "not valid JSON");
    // A tensor named twice.
    {
        std::string text = good.header.dump();
        text.insert(1, "\"bias\":" + good.header["bias"].dump() + ",");
        contains(error_of(join_text(text, good.data)), "names 'bias' twice");
    }
    // Metadata.
    {
        Parts p = good;
        p.header.erase("__metadata__");
        contains(error_of(join(p)), "not a geoenc model");
        p = good;
        p.header["__metadata__"]["format"] = "other";
        contains(error_of(join(p)), "not a geoenc model");
        p = good;
        p.header["__metadata__"]["format_version"] = "3";
        contains(error_of(join(p)), "format_version '3' is not supported");
        p = good;
        p.header["__metadata__"]["format_version"] = 1;
        contains(error_of(join(p)), "is not a string");
        p = good;
        p.header["__metadata__"] = json::array();
        contains(error_of(join(p)), "__metadata__ is not a JSON object");
        p = good;
        p.header["__metadata__"].erase("config");
        contains(error_of(join(p)), "no config");
        p = good;
        p.header["__metadata__"]["config"] = "{not json";
        contains(error_of(join(p)), "config is not valid JSON");
    }
    // Tensor entries.
    auto with_entry = [&](const char* name, const json& entry) {
        Parts p = good;
        p.header[name] = entry;
        return join(p);
    };
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {3}}, {"data_offsets", {0, 16}}})), "does not fill");
    contains(error_of(with_entry("bias", {{"dtype", "F64"}, {"shape", {3}}, {"data_offsets", {0, 12}}})), "does not fill");
    contains(error_of(with_entry("bias", {{"dtype", "I64"}, {"shape", {3}}, {"data_offsets", {0, 12}}})), "not a floating-point");
    contains(error_of(with_entry("bias", {{"dtype", "Q7"}, {"shape", {3}}, {"data_offsets", {0, 12}}})), "dtype Q7 is unknown");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {-3}}, {"data_offsets", {0, 12}}})), "whole numbers");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {3.5}}, {"data_offsets", {0, 12}}})), "whole numbers");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {3}}, {"data_offsets", {12, 0}}})), "run backwards");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {3}}, {"data_offsets", {60, 72}}})), "past the end");
    contains(error_of(with_entry("weight", {{"dtype", "F32"}, {"shape", {3, 4}}, {"data_offsets", {8, 56}}})), "overlaps");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {3}}})), "data_offsets");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {3}}, {"data_offsets", {0, 12}}, {"x", 1}})), "unknown field");
    contains(error_of(with_entry("bias", 5)), "expected {dtype");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {4611686018427387904ULL, 4}}, {"data_offsets", {0, 12}}})),
             "too large");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {1ULL << 40, 1ULL << 40}}, {"data_offsets", {0, 12}}})),
             "too large");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {0, 1ULL << 40, 1ULL << 40}}, {"data_offsets", {0, 12}}})),
             "too large");
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {3, 1ULL << 40}}, {"data_offsets", {0, 12}}})),
             "does not fill");
    {  // an empty layer: weight [0, 4], bias [0]
        Parts p = good;
        p.header["weight"] = {{"dtype", "F32"}, {"shape", {0, 4}}, {"data_offsets", {0, 0}}};
        p.header["bias"] = {{"dtype", "F32"}, {"shape", {0}}, {"data_offsets", {0, 0}}};
        p.data.clear();
        json c = config_of(p);
        c["widths"] = {4, 0};
        c["dim"] = 0;
        contains(error_of(with_config(p, c)), "width 0");
    }
    contains(error_of(with_entry("bias", {{"dtype", "F32"}, {"shape", {1, 2, 3, 4, 5, 6, 7, 8, 9}}, {"data_offsets", {0, 12}}})),
             "dimensions");
    {  // a hole: bias moved to the end of the data, bytes 0..12 unused
        Parts p = good;
        p.header["bias"]["data_offsets"] = {60, 72};
        p.data += std::string(12, '\0');
        contains(error_of(join(p)), "belong to no tensor");
    }
    // Config against weights.
    {
        const json c = config_of(good);
        json bad = c;
        bad["widths"] = {4, 5};
        contains(error_of(with_config(good, bad)), "config widths [4, 5]");
        bad = c;
        bad["dim"] = 7;
        contains(error_of(with_config(good, bad)), "config dim 7");
        bad = c;
        bad["network"] = "transformer";
        contains(error_of(with_config(good, bad)), "network 'transformer'");
        bad = c;
        bad["network"] = "siren";
        contains(error_of(with_config(good, bad)), "missing \"w0_initial\"");
        bad["w0_initial"] = 30;
        bad["w0"] = 1;
        contains(error_of(with_config(good, bad)), "missing 'last_layer.weight'");
        bad = c;
        bad["network"] = "none";
        contains(error_of(with_config(good, bad)), "network is none");
        bad = c;
        bad["positional_encoding"] = "sh:L=3";
        contains(error_of(with_config(good, bad)), "takes 4 inputs");
        bad = c;
        bad["positional_encoding"] = "nosuch:x=1";
        contains(error_of(with_config(good, bad)), "positional_encoding 'nosuch:x=1' is not valid");
        bad = c;
        bad["positional_encoding"] = "sh:L=0";
        contains(error_of(with_config(good, bad)), "is not valid");
        bad = c;
        bad.erase("widths");
        contains(error_of(with_config(good, bad)), "missing \"widths\"");
        bad = c;
        bad["dim"] = -3;
        contains(error_of(with_config(good, bad)), "whole numbers");
        contains(error_of(with_config(good, json::array())), "not a JSON object");
    }
    {  // a tensor that is not part of the network
        Parts p = good;
        p.header["extra"] = {{"dtype", "F32"}, {"shape", {1}}, {"data_offsets", {60, 64}}};
        p.data += std::string(4, '\0');
        contains(error_of(join(p)), "'extra' is not part of a linear network");
    }
}

TEST_CASE("flipped header bytes never crash") {
    const std::string bytes = small_model();
    const Parts p = split(bytes);
    const std::size_t header_end = bytes.size() - p.data.size();
    int errors = 0;
    for (std::size_t i = 0; i < header_end; ++i) {
        for (unsigned char x : {0x01, 0x20, 0x80}) {
            std::string b = bytes;
            b[i] = char(static_cast<unsigned char>(b[i]) ^ x);
            errors += !error_of(b).empty();  // a DataError or a valid model; anything else fails
        }
    }
    CHECK(errors > 0);
}
