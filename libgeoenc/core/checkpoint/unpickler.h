#pragma once
// A safe, non-executing reader for the pickles inside PyTorch checkpoints
// (torch.save's data.pkl, protocol 2; later protocols' framing is accepted).
// It builds only plain data (see pickle_value.h) plus tensors; every global it
// does not know is kept as an inert Object. Every size is checked against the
// input and the limits below, so malformed input is a DataError, never a
// crash, hang or unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/checkpoint/pickle_value.h"

namespace geoenc::checkpoint {

// What a persistent load ('storage', torch.XStorage, key, location, numel) asks for.
struct StorageRequest {
    std::string key;     // the record name under data/
    at::ScalarType dtype;
    std::int64_t numel;  // elements, already checked: numel * element size fits in int64
};

// Must return a flat, contiguous 1-D CPU tensor of request.dtype and exactly
// request.numel elements, or throw DataError. Called once per distinct key.
using StorageLoader = std::function<at::Tensor(const StorageRequest&)>;

struct UnpickleLimits {
    std::size_t max_bytes = std::size_t(256) << 20;  // data.pkl size
    std::size_t max_values = std::size_t(1) << 20;   // nodes created
    std::size_t max_memo = std::size_t(1) << 20;     // memo entries
    std::size_t max_depth = 256;                     // MARK nesting and container nesting
    std::size_t max_dims = 64;                       // tensor rank
};

// Throws DataError "<source>: data.pkl byte N: <what>" on anything malformed.
Document unpickle(std::string_view bytes, const StorageLoader& load_storage, const std::string& source,
                  const UnpickleLimits& limits = {});

}  // namespace geoenc::checkpoint
