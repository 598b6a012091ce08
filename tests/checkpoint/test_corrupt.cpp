// Malformed input of every kind is a DataError naming the file, never a crash.
// LibTorch's glog defines CHECK (a failure aborts instead of being reported):
// include it first, then undo that, as tests/unit does.
#include <ATen/ATen.h>
#include <caffe2/serialize/inline_container.h>
#undef CHECK
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "../unit/fixtures.h"
#include "core/checkpoint/state_dict.h"
#include "core/checkpoint/torch_archive.h"
#include "core/errors.h"
#include "pickle_bytes.h"

namespace ck = geoenc::checkpoint;
namespace pk = geoenc::test::pk;
using geoenc::DataError;
using geoenc::test::data_path;

namespace {

std::string file_bytes(const std::string& name) {
    std::ifstream in(data_path(name), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A fixture's data.pkl plus a loader that serves its real storages from a cache,
// so thousands of variants can be unpickled quickly.
struct Fixture {
    std::string pkl;
    ck::StorageLoader loader;
};

Fixture fixture(const std::string& name) {
    auto reader = std::make_shared<caffe2::serialize::PyTorchStreamReader>(data_path(name));
    auto [ptr, size] = reader->getRecord("data.pkl");
    Fixture f{std::string(static_cast<const char*>(ptr.get()), size), {}};
    auto cache = std::make_shared<std::map<std::string, at::Tensor>>();
    f.loader = [reader, cache](const ck::StorageRequest& r) {
        auto it = cache->find(r.key);
        if (it == cache->end()) {
            if (!reader->hasRecord("data/" + r.key)) throw DataError("no record");
            auto [p, n] = reader->getRecord("data/" + r.key);
            at::Tensor bytes = at::empty({std::int64_t(n)}, at::kByte);
            std::memcpy(bytes.data_ptr(), p.get(), n);
            it = cache->emplace(r.key, bytes).first;
        }
        const at::Tensor& bytes = it->second;
        if (bytes.numel() != r.numel * std::int64_t(c10::elementSize(r.dtype))) throw DataError("size mismatch");
        return bytes.view(r.dtype);
    };
    return f;
}

// Either outcome is fine for mutated input; anything but DataError is a failure.
bool loads_or_data_error(const std::string& pkl, const ck::StorageLoader& loader) {
    try {
        ck::unpickle(pkl, loader, "mutant");
        return true;
    } catch (const DataError&) {
        return false;
    }
}

std::string expect_data_error(const std::string& pkl) {
    try {
        ck::unpickle(pkl, pk::counting_loader(), "bad.pt");
    } catch (const DataError& e) {
        return e.what();
    }
    FAIL("no DataError");
    return {};
}

}  // namespace

TEST_CASE("every truncation of a fixture's data.pkl is a DataError") {
    for (const char* name : {"satclip_L10_cap256_seed0_state_dict.pt", "satclip_lightning_L10_cap256_seed1.ckpt"}) {
        const Fixture f = fixture(name);
        CHECK(loads_or_data_error(f.pkl, f.loader));
        for (std::size_t n = 0; n < f.pkl.size() - 1; ++n) {  // the last byte is STOP
            try {
                ck::unpickle(std::string_view(f.pkl).substr(0, n), f.loader, "cut.pt");
                FAIL("prefix " << n << " of " << name << " loaded");
            } catch (const DataError& e) {
                CHECK(std::string(e.what()).rfind("cut.pt: ", 0) == 0);
            }
        }
    }
}

TEST_CASE("every single-byte change to a fixture's data.pkl loads or is a DataError") {
    const Fixture f = fixture("satclip_lightning_L10_cap256_seed1.ckpt");
    int loaded = 0;
    for (std::size_t i = 0; i < f.pkl.size(); ++i)
        for (unsigned char x : {0xffu, 0x01u, 0x80u}) {
            std::string m = f.pkl;
            m[i] = char(static_cast<unsigned char>(m[i]) ^ x);
            loaded += loads_or_data_error(m, f.loader);
        }
    MESSAGE(loaded << " of " << 3 * f.pkl.size() << " mutants still loaded");
}

TEST_CASE("truncated and damaged archives are DataErrors naming the file") {
    const std::string file = file_bytes("satclip_L10_cap256_seed0_state_dict.pt");
    for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(30), std::size_t(100), std::size_t(1000),
                          file.size() / 2, file.size() - 100, file.size() - 22, file.size() - 1})
        CHECK_THROWS_WITH_AS(ck::read_torch_archive_bytes(std::string_view(file).substr(0, n), "short.pt"),
                             doctest::Contains("short.pt"), DataError);
    // Damage in the local headers, the tensor data and the central directory.
    int loaded = 0;
    for (std::size_t i = 0; i < file.size(); i += 997) {
        std::string m = file;
        m[i] = char(~m[i]);
        try {
            ck::read_torch_archive_bytes(m, "flipped.pt");
            ++loaded;
        } catch (const DataError& e) {
            CHECK(std::string(e.what()).find("flipped.pt") != std::string::npos);
        }
    }
    for (std::size_t i = file.size() - 600; i < file.size(); ++i) {
        std::string m = file;
        m[i] = char(m[i] ^ 0x5a);
        try {
            ck::read_torch_archive_bytes(m, "flipped.pt");
        } catch (const DataError&) {
        }
    }
    MESSAGE(loaded << " sparse flips still loaded (tensor payload bytes)");
}

TEST_CASE("specific malformed pickles") {
    SUBCASE("unknown opcode") { CHECK(expect_data_error(pk::proto() + "\xff.").find("unsupported opcode 0xff") != std::string::npos); }
    SUBCASE("protocol-0 text opcodes are not accepted") { CHECK(expect_data_error(pk::proto() + "I1\n.").find("opcode") != std::string::npos); }
    SUBCASE("empty input") { CHECK(expect_data_error("").find("no STOP") != std::string::npos); }
    SUBCASE("STOP on an empty stack") { CHECK(expect_data_error(pk::proto() + ".").find("underflow") != std::string::npos); }
    SUBCASE("string longer than the input") {
        CHECK(expect_data_error(pk::proto() + "X" + pk::le32(0xfffffff0u) + "abc.").find("truncated") != std::string::npos);
    }
    SUBCASE("BINBYTES8 length near 2^64") {
        CHECK(expect_data_error(pk::proto() + "\x8e" + std::string(8, '\xff') + ".").find("truncated") != std::string::npos);
    }
    SUBCASE("integer wider than 64 bits") {
        CHECK(expect_data_error(pk::proto() + "\x8a\x09" + std::string(9, '\x01') + ".").find("64 bits") != std::string::npos);
    }
    SUBCASE("memo get of a missing entry") { CHECK(expect_data_error(pk::proto() + "h\x05.").find("memo") != std::string::npos); }
    SUBCASE("SETITEM on a list") { CHECK(expect_data_error(pk::proto() + "]NNs.").find("SETITEMS on a list") != std::string::npos); }
    SUBCASE("REDUCE of a non-global") { CHECK(expect_data_error(pk::proto() + "])R.").find("callable") != std::string::npos); }
    SUBCASE("GLOBAL name without newline") { CHECK(expect_data_error(pk::proto() + "cos\nsys").find("newline") != std::string::npos); }
    SUBCASE("tensor shape larger than its storage") {
        const std::string msg = expect_data_error(pk::proto() + pk::tensor("DoubleStorage", "0", 10, 0, {4, 3}, {3, 1}) + ".");
        CHECK(msg.find("does not fit its storage") != std::string::npos);
        CHECK(msg.rfind("bad.pt: ", 0) == 0);
    }
    SUBCASE("tensor offset past the storage end") {
        CHECK(expect_data_error(pk::proto() + pk::tensor("FloatStorage", "0", 10, 8, {3}, {1}) + ".").find("does not fit") != std::string::npos);
    }
    SUBCASE("tensor stride reaching outside the storage") {
        CHECK(expect_data_error(pk::proto() + pk::tensor("FloatStorage", "0", 10, 0, {2}, {10}) + ".").find("does not fit") != std::string::npos);
    }
    SUBCASE("tensor size overflowing int64") {
        CHECK(expect_data_error(pk::proto() + pk::tensor("FloatStorage", "0", 10, 0,
                                                         {0x7fffffff, 0x7fffffff, 0x7fffffff}, {1, 1, 1}) + ".")
                  .find("overflow") != std::string::npos);
    }
    SUBCASE("negative size") {
        CHECK(expect_data_error(pk::proto() + pk::tensor("FloatStorage", "0", 10, 0, {-1}, {1}) + ".").find("negative") != std::string::npos);
    }
    SUBCASE("size and stride of different rank") {
        CHECK(expect_data_error(pk::proto() + pk::tensor("FloatStorage", "0", 10, 0, {2, 2}, {1}) + ".").find("length") != std::string::npos);
    }
    SUBCASE("unknown storage type") {
        CHECK(expect_data_error(pk::proto() + pk::tensor("EvilStorage", "0", 10, 0, {2}, {1}) + ".").find("storage type") != std::string::npos);
    }
    SUBCASE("storage larger than the loader allows") {
        CHECK(expect_data_error(pk::proto() + pk::tensor("FloatStorage", "0", 0x7fffffff, 0, {2}, {1}) + ".").find("too large") != std::string::npos);
    }
    SUBCASE("one storage key with two dtypes") {
        const std::string body = "(" + pk::tensor("FloatStorage", "0", 4, 0, {2}, {1}) +
                                 pk::tensor("DoubleStorage", "0", 4, 0, {2}, {1}) + "l";
        CHECK(expect_data_error(pk::proto() + body + ".").find("two element types") != std::string::npos);
    }
    SUBCASE("deep MARK nesting") { CHECK(expect_data_error(pk::proto() + std::string(100000, '(') + ".").find("MARKs nested") != std::string::npos); }
    SUBCASE("deep container nesting") {
        std::string body = pk::proto() + "]";
        for (int i = 0; i < 100000; ++i) body += "\x85";  // ((((x,),),),)...
        CHECK(expect_data_error(body + ".").find("nested deeper") != std::string::npos);
    }
    SUBCASE("a list containing itself") { CHECK(expect_data_error(pk::proto() + std::string("]q\x00h\x00" "a.", 7)).find("cycle") != std::string::npos); }
    SUBCASE("too many values") {
        ck::UnpickleLimits lim;
        lim.max_values = 100;
        CHECK_THROWS_AS(ck::unpickle(pk::proto() + std::string(200, 'N') + ".", pk::counting_loader(), "x", lim), DataError);
    }
}

TEST_CASE("a checkpoint without location-encoder weights is a DataError") {
    const auto doc = ck::unpickle(pk::proto() + "}" + pk::str("state_dict") + "}s.", pk::counting_loader(), "empty.ckpt");
    CHECK_THROWS_WITH_AS(ck::location_encoder_from(doc.root(), "empty.ckpt"),
                         doctest::Contains("no location-encoder weights"), DataError);
    const auto list = ck::unpickle(pk::proto() + "].", pk::counting_loader(), "list.pt");
    CHECK_THROWS_AS(ck::location_encoder_from(list.root(), "list.pt"), DataError);
}
