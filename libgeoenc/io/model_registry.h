#pragma once
// Named pretrained models: the one table of where each lives, how big it is and
// its SHA-256. io/model_cache.h downloads them into the local cache.
#include <cstdint>
#include <string>
#include <vector>

namespace geoenc::io {

struct RegisteredModel {
    std::string name;       // what --model takes: "satclip-resnet50-l40"
    std::string repo;       // Hugging Face repository: "microsoft/SatCLIP-ResNet50-L40"
    std::string file;       // file in the repository, and its name in the cache
    std::int64_t size = 0;  // bytes; 0 when not known
    std::string sha256;     // lowercase hex; empty when not known
};

// The built-in table (SatCLIP's six location encoders).
const std::vector<RegisteredModel>& model_registry();

// nullptr when `name` is not in `registry`.
const RegisteredModel* find_registered_model(const std::string& name,
                                             const std::vector<RegisteredModel>& registry = model_registry());

// "satclip-resnet18-l10, satclip-resnet18-l40, ..." for help texts and errors.
std::string registered_model_names(const std::vector<RegisteredModel>& registry = model_registry());

// Where the model is downloaded from: BASE/REPO/resolve/main/FILE, where BASE is
// $GEOENC_MODEL_BASE_URL (a Hugging Face mirror, trailing '/' ignored) or
// https://huggingface.co.
std::string model_url(const RegisteredModel& model);

}  // namespace geoenc::io
