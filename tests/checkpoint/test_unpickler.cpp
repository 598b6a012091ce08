// Each unpickler rule on a hand-written pickle.
// LibTorch's glog defines CHECK (a failure aborts instead of being reported):
// include it first, then undo that, as tests/unit does.
#include <ATen/ATen.h>
#undef CHECK
#include <doctest/doctest.h>

#include "core/checkpoint/unpickler.h"
#include "core/errors.h"
#include "pickle_bytes.h"

namespace ck = geoenc::checkpoint;
namespace pk = geoenc::test::pk;
using namespace std::string_literals;  // literals below contain NUL bytes

namespace {
ck::Document load(const std::string& body) { return ck::unpickle(pk::proto() + body + ".", pk::counting_loader(), "test"); }
}  // namespace

TEST_CASE("scalars, strings and containers") {
    // {'a': [None, True, -5, 2.5, b'xy'], 'b': (1,), 'big': LONG1 -2}
    const std::string body = "}(" + pk::str("a") + "](N\x88" + pk::i32(-5) + "G\x40\x04\0\0\0\0\0\0"s +
                             "C\x02xy" + "e" + pk::str("b") + "K\x01\x85" + pk::str("big") + "\x8a\x01\xfe" + "u";
    const auto doc = load(body);
    const ck::Value& root = doc.root();
    REQUIRE(root.kind == ck::Kind::Dict);
    const ck::Value* a = ck::find_key(root, "a");
    REQUIRE(a);
    REQUIRE(a->items.size() == 5);
    CHECK(a->items[0]->kind == ck::Kind::None);
    CHECK(a->items[1]->boolean);
    CHECK(a->items[2]->integer == -5);
    CHECK(a->items[3]->real == 2.5);
    CHECK(a->items[4]->kind == ck::Kind::Bytes);
    CHECK(a->items[4]->text == "xy");
    CHECK(ck::find_key(root, "b")->items.at(0)->integer == 1);
    CHECK(ck::find_key(root, "big")->integer == -2);
}

TEST_CASE("memo: BINPUT/BINGET share one node") {
    const auto doc = load("]q\x00h\x00\x86"s);  // (l, l)
    CHECK(doc.root().items[0] == doc.root().items[1]);
}

TEST_CASE("tensors: dtype, offset, strides, and sharing a storage") {
    // {'w': 2x3 view of storage '0' (12 doubles) at offset 1 with stride (4, 1),
    //  'wt': its transpose-like view (3x2, strides (1, 4)), 'f': a float tensor}
    const std::string body = "}(" + pk::str("w") + pk::tensor("DoubleStorage", "0", 12, 1, {2, 3}, {4, 1}) +
                             pk::str("wt") + pk::tensor("DoubleStorage", "0", 12, 1, {3, 2}, {1, 4}) + pk::str("f") +
                             pk::tensor("FloatStorage", "1", 4, 0, {4}, {1}) + pk::str("h") +
                             pk::tensor("HalfStorage", "2", 2, 0, {2}, {1}) + "u";
    const auto doc = load(body);
    const at::Tensor w = ck::find_key(doc.root(), "w")->tensor;
    const at::Tensor wt = ck::find_key(doc.root(), "wt")->tensor;
    CHECK((w.scalar_type() == at::kDouble));
    CHECK(w[1][2].item<double>() == 1 + 4 + 2);
    CHECK(at::equal(w.t(), wt));
    CHECK(w.storage().data() == wt.storage().data());
    CHECK((ck::find_key(doc.root(), "f")->tensor.scalar_type() == at::kFloat));
    CHECK((ck::find_key(doc.root(), "h")->tensor.scalar_type() == at::kHalf));
}

TEST_CASE("_rebuild_parameter yields its tensor") {
    const std::string body = pk::global("torch._utils", "_rebuild_parameter") + "(" +
                             pk::tensor("LongStorage", "0", 3, 0, {3}, {1}) + "\x88" +
                             pk::global("collections", "OrderedDict") + ")RtR";
    const auto doc = load(body);
    REQUIRE(doc.root().kind == ck::Kind::Tensor);
    CHECK((doc.root().tensor.scalar_type() == at::kLong));
}

TEST_CASE("unknown globals are inert containers: args, SETITEMS and BUILD state are kept") {
    // os.system('x') must not run; it just records the call.
    const auto call = load(pk::global("os", "system") + "(" + pk::str("echo hi") + "tR");
    CHECK(call.root().kind == ck::Kind::Object);
    CHECK(call.root().text == "os.system");
    CHECK(call.root().items.at(0)->text == "echo hi");

    // argparse.Namespace() with BUILD {'L': 10}; AttributeDict via NEWOBJ + SETITEMS
    const auto ns = load(pk::global("argparse", "Namespace") + ")\x81}" + pk::str("L") + "K\x0as" + "b");
    CHECK(ck::find_key(ns.root(), "L")->integer == 10);
    const auto ad = load(pk::global("lightning_fabric.utilities.data", "AttributeDict") + ")\x81(" + pk::str("k") +
                         "K\x03u");
    CHECK(ck::find_key(ad.root(), "k")->integer == 3);
}

TEST_CASE("BINPERSID loads each storage once, with the requested type and size") {
    int calls = 0;
    const ck::StorageLoader loader = [&](const ck::StorageRequest& r) {
        ++calls;
        CHECK(r.key == "7");
        CHECK((r.dtype == at::kFloat));
        CHECK(r.numel == 5);
        return at::zeros({r.numel}, at::kFloat);
    };
    const std::string body = "(" + pk::tensor("FloatStorage", "7", 5, 0, {5}, {1}) +
                             pk::tensor("FloatStorage", "7", 5, 2, {3}, {1}) + "l";
    const auto doc = ck::unpickle(pk::proto() + body + ".", loader, "test");
    CHECK(calls == 1);
    CHECK(doc.root().items.size() == 2);
}
