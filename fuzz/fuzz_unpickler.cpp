// libFuzzer target: arbitrary bytes as a checkpoint's data.pkl. The contract
// under test is the unpickler's: a value or a geoenc::DataError, nothing else
// (no crash, no other exception, no leak, no sanitizer report, no hang).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <ATen/ATen.h>

#include "core/checkpoint/pickle_value.h"
#include "core/checkpoint/unpickler.h"
#include "core/errors.h"

namespace ck = geoenc::checkpoint;

namespace {

// Storages come from no archive: zeros, refusing anything large so that a
// claimed size cannot turn into a huge allocation inside the fuzzer.
at::Tensor fake_storage(const ck::StorageRequest& r) {
    if (r.numel > (1 << 16)) throw geoenc::DataError("fuzz: storage too large");
    return at::zeros({r.numel}, at::TensorOptions().dtype(r.dtype));
}

// Touch what a consumer would: every reachable node (the graph is promised to
// be acyclic and shallow) and every tensor's elements.
std::size_t walk(const ck::Value& v, int depth) {
    if (depth > 10000) __builtin_trap();  // the unpickler's depth promise was broken
    std::size_t n = 1;
    if (v.kind == ck::Kind::Tensor && v.tensor.numel() > 0) n += std::size_t(v.tensor.to(at::kDouble).sum().item<double>() == 0);
    for (const ck::Value* c : v.items) n += walk(*c, depth + 1);
    for (const auto& [k, x] : v.entries) n += walk(*k, depth + 1) + walk(*x, depth + 1);
    if (v.state) n += walk(*v.state, depth + 1);
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const ck::Document doc = ck::unpickle(std::string_view(reinterpret_cast<const char*>(data), size), fake_storage, "fuzz");
        // A DAG can still be exponentially large to walk as a tree; only walk small results.
        if (doc.size() < 2000) walk(doc.root(), 0);
    } catch (const geoenc::DataError&) {
    }
    return 0;
}
