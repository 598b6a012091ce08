#pragma once
// Test helpers: hand-written pickles (opcode by opcode) and storage loaders
// that need no archive, so each unpickler rule can be exercised on its own.
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "core/checkpoint/unpickler.h"
#include "core/errors.h"

namespace geoenc::test::pk {

inline std::string le32(std::uint32_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[i] = char(v >> (8 * i));
    return s;
}
inline std::string proto() { return std::string("\x80\x02", 2); }
inline std::string str(const std::string& s) { return "X" + le32(std::uint32_t(s.size())) + s; }
inline std::string i32(std::int32_t v) { return "J" + le32(std::uint32_t(v)); }
inline std::string global(const std::string& module, const std::string& name) { return "c" + module + "\n" + name + "\n"; }
inline std::string ints(const std::vector<std::int32_t>& v) {
    std::string s = "(";
    for (auto x : v) s += i32(x);
    return s + "t";
}

// _rebuild_tensor_v2(storage <key> of <numel> <type>, offset, size, stride, False, OrderedDict())
inline std::string tensor(const std::string& type, const std::string& key, std::int32_t numel, std::int32_t offset,
                          const std::vector<std::int32_t>& size, const std::vector<std::int32_t>& stride) {
    return global("torch._utils", "_rebuild_tensor_v2") + "((" + str("storage") + global("torch", type) + str(key) +
           str("cpu") + i32(numel) + "tQ" + i32(offset) + ints(size) + ints(stride) + "\x89" +
           global("collections", "OrderedDict") + ")RtR";
}

// Fills storage element i with i, so views can be checked; refuses big requests.
inline checkpoint::StorageLoader counting_loader(std::int64_t max_numel = 1 << 20) {
    return [max_numel](const checkpoint::StorageRequest& r) {
        if (r.numel > max_numel) throw DataError("fake storage too large");
        return at::arange(r.numel, at::TensorOptions().dtype(at::kDouble)).to(r.dtype);
    };
}

}  // namespace geoenc::test::pk
