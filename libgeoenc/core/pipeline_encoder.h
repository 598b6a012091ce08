#pragma once
// The encoder every model becomes: a positional encoding, optionally followed
// by a network. On the CPU it runs in cache-sized chunks, each chunk's encoding
// feeding the first matrix product directly; on CUDA it runs as tensors.
// Compute translation units only (exposes PositionalEncoding and Network).
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/location_encoder.h"
#include "core/networks.h"
#include "core/positional_encoding.h"
#include "core/prediction_head.h"

namespace geoenc {

// `metadata` adds to (and may override) the encoder's own GEOENC_* items.
// `head` (trained models) turns the network's outputs into predictions.
// Throws DataError when the network does not take the encoding's width.
std::unique_ptr<LocationEncoder> make_pipeline_encoder(std::unique_ptr<PositionalEncoding> pe,
                                                       std::optional<Network> net,
                                                       std::map<std::string, std::string> metadata,
                                                       const EncoderOptions& opts,
                                                       std::shared_ptr<const PredictionHead> head = nullptr);

}  // namespace geoenc
