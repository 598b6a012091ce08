#pragma once
// geoenc's own model files (".geoenc", format version 1): a safetensors file
// whose __metadata__ says what the tensors are.
//
//   [8 bytes]  N, the header length, unsigned little-endian
//   [N bytes]  JSON header, UTF-8, padded with spaces to a multiple of 8 bytes:
//              { "NAME": {"dtype": "F32", "shape": [256, 100], "data_offsets": [B, E]}, ...,
//                "__metadata__": {"format": "geoenc-model", "format_version": "1",
//                                 "config": "<JSON text, see ModelFileConfig>"} }
//   [rest]     tensor bytes, little-endian, C order; offsets count from the
//              first byte after the header; the tensors tile the rest exactly.
//
// Tensor names are the network's canonical keys (Network::weights()). The full
// specification is in man/geoenc-model.1.md (FILE FORMAT).
//
// Compute-core header: it exposes Network (ATen). CLI code uses
// core/model_info.h instead.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/networks.h"
#include "core/prediction_head.h"

namespace geoenc {

// Version 1: embedding models. Version 2 adds "predictor" (a model trained by
// geoenc-train) and the probe head's "head.*" tensors; plain models are still
// written as version 1 so older readers keep reading them.
constexpr int kModelFormatVersion = 2;
constexpr const char* kModelFileExtension = ".geoenc";

// The architecture and provenance, stored as the "config" metadata string.
struct ModelFileConfig {
    std::string positional_encoding;  // canonical spec: "sh:L=10,convention=satclip"
    std::string network = "none";     // siren | fcnet | linear | none
    double w0_initial = 30.0;         // siren only: sin(w0_initial (W x + b)) in the first layer
    double w0 = 1.0;                  // siren only: the other hidden layers
    std::vector<int64_t> widths;      // in, hidden..., out; empty for none
    int64_t dim = 0;                  // output (embedding) dimension
    // Provenance: where the weights came from and what wrote the file.
    std::string source;         // file name (no folder) or analytic spec
    std::string source_sha256;  // of that file; empty for an analytic spec
    std::string created_by;     // "geoenc 0.1.0"
    // Trained models only: what the outputs mean (the file is then version 2).
    std::optional<PredictorSpec> predictor;
    std::vector<int64_t> head_widths;  // the probe head's in, hidden..., out; empty without one
};

// Any model source, opened for inspection or conversion.
struct LoadedModel {
    std::string kind;  // geoenc-model | pytorch-state-dict | lightning-checkpoint | analytic
    ModelFileConfig config;
    std::optional<Network> network;  // weights as stored (dtype unchanged, CPU)
    std::optional<Network> head;     // a probe head (tensors "head.*"), trained models only
    std::string sha256;              // of the file; empty for an analytic spec
    int format_version = 0;          // geoenc-model files only
};

// Reads and validates a .geoenc file. Throws DataError naming `path` for an
// unreadable, truncated or corrupt file, an unknown format_version, or weights
// that do not match the config. Never crashes on bad input.
LoadedModel load_model_file(const std::string& path);
// The same from the file's bytes; `name` is used in errors and as the file name.
LoadedModel parse_model_file(const std::string& bytes, const std::string& name);

// The bytes of a .geoenc file for `config` (network, widths and dim are filled
// in from `net` and the positional encoding) and the network's weights.
std::string model_file_bytes(ModelFileConfig config, const Network* net, const Network* head = nullptr);

// Writes atomically: a temporary file in the same folder, then a rename. Without
// `overwrite` an existing `path` is refused (DataError) and never replaced.
void save_model_file(const std::string& path, const ModelFileConfig& config, const Network* net,
                     bool overwrite = true, const Network* head = nullptr);

// The output stage of a trained model (null for an embedding model). Throws
// DataError when the head does not fit the network or the task.
std::unique_ptr<PredictionHead> make_prediction_head(const LoadedModel& m);

// A .geoenc file, a SatCLIP checkpoint (.pt/.pth/.ckpt) or an analytic spec
// ("sh:L=10"). Checkpoints become sh:L + SIREN as in open_encoder.
// Throws UsageError for an unknown spec, DataError for a bad file.
LoadedModel load_model(const std::string& model);

bool is_model_file_path(const std::string& path);  // ends in .geoenc

}  // namespace geoenc
