#pragma once
// What a model is, and converting it to a .geoenc file, for CLI code: plain
// structs, no LibTorch (the work happens in core/model_file.cpp).
#include <cstdint>
#include <string>
#include <vector>

namespace geoenc {

struct ModelInfo {
    std::string model;                // the file name (no folder) or the analytic spec
    std::string kind;                 // geoenc-model | pytorch-state-dict | lightning-checkpoint | analytic
    std::string positional_encoding;  // canonical spec
    std::string encoding;             // its kind: sh, spherec+, ...
    int L = 0;                        // sh only (0 otherwise)
    std::string convention;           // sh only: satclip | orthonormal
    std::string network;              // siren | fcnet | linear | none
    bool has_w0 = false;              // siren only
    double w0_initial = 0, w0 = 0;
    std::vector<int64_t> widths;      // in, hidden..., out; empty for none
    int64_t input_dim = 0;            // features of the positional encoding (the network's input)
    int64_t output_dim = 0;           // embedding dimension
    std::string weights_dtype;        // float32 | float64 | float16 | bfloat16 | mixed | none
    int64_t parameters = 0;           // stored weights and biases
    std::string sha256;               // of the file; empty for an analytic spec
    int format_version = 0;           // .geoenc files only
    std::string source, source_sha256, created_by;  // .geoenc provenance
    // Trained models (geoenc-train) only; task is empty otherwise.
    std::string task;                 // classification | regression
    std::string target;               // the training field
    std::vector<std::string> labels;  // classification: output k is labels[k]
    std::string head;                 // none | linear | mlp
    std::string training;             // JSON text: data hash, options, metrics
};

// `model` as geoenc-embed's --model takes it: a .geoenc, .pt/.pth/.ckpt file or
// an analytic spec. Throws UsageError for an unknown spec, DataError for a bad file.
ModelInfo inspect_model(const std::string& model);

// "key: value" lines; keys that do not apply are left out.
std::string model_info_text(const ModelInfo& info);
// One JSON object (with a trailing newline); keys that do not apply are null.
std::string model_info_json(const ModelInfo& info);

// Converts `in` (anything inspect_model takes) into the .geoenc file `out`,
// written atomically. Without `overwrite` an existing `out` is a DataError.
// Returns what was written.
ModelInfo convert_model(const std::string& in, const std::string& out, bool overwrite);

}  // namespace geoenc
