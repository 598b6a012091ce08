#pragma once
// The SatCLIP location encoder's weights from a checkpoint: a plain
// torch.save(state_dict) (.pt) or a PyTorch Lightning checkpoint (.ckpt).
#include <cstdint>
#include <map>
#include <string>
#include <variant>

#include <ATen/core/Tensor.h>

#include "core/checkpoint/pickle_value.h"

namespace geoenc::checkpoint {

using HyperValue = std::variant<bool, std::int64_t, double, std::string>;

struct LoadedCheckpoint {
    // SIREN weights with the prefix stripped: "layers.0.weight", ..., "last_layer.bias".
    // Tensors are floating point, as stored (dtype and layout unchanged).
    std::map<std::string, at::Tensor> weights;
    // Where they were found: "model.location.nnet.", "location.nnet.", "nnet." or "".
    std::string prefix;
    // Scalar hyperparameters (Lightning's hyper_parameters; legendre_polys,
    // capacity, ...). Nested or None values are left out. Empty for plain .pt files.
    std::map<std::string, HyperValue> hyperparameters;
    std::string sha256;  // of the whole file, lowercase hex
};

// Throws DataError naming `path` when the file is unreadable, corrupt, or holds
// no location-encoder weights.
LoadedCheckpoint load_checkpoint(const std::string& path);

// The same from an already unpickled root (sha256 left empty); `source` names it in errors.
LoadedCheckpoint location_encoder_from(const Value& root, const std::string& source);

// "10", "0.0001", "true", or the string itself: for metadata output.
std::string to_string(const HyperValue& v);

}  // namespace geoenc::checkpoint
