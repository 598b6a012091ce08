#include "core/checkpoint/state_dict.h"

#include <array>
#include <cstdio>
#include <cstdlib>

#include "core/checkpoint/sha256.h"
#include "core/checkpoint/torch_archive.h"
#include "core/errors.h"

namespace geoenc::checkpoint {
namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

// SIREN parameters are layers.N.* and last_layer.*; nothing else in the encoder has weights.
bool is_siren_key(const std::string& stripped) {
    return starts_with(stripped, "layers.") || starts_with(stripped, "last_layer.");
}

// Most specific first: a Lightning SatCLIP holds model.location.nnet.* (and an
// alias model.nnet.*), a bare SatCLIP model location.nnet.*, a LocationEncoder nnet.*.
constexpr std::array<const char*, 4> kPrefixes = {"model.location.nnet.", "location.nnet.", "nnet.", ""};

std::map<std::string, HyperValue> scalars(const Value& dict) {
    std::map<std::string, HyperValue> out;
    auto add = [&](const Value& k, const Value& v) {
        if (k.kind != Kind::String) return;
        switch (v.kind) {
            case Kind::Bool: out[k.text] = v.boolean; break;
            case Kind::Int: out[k.text] = v.integer; break;
            case Kind::Float: out[k.text] = v.real; break;
            case Kind::String: out[k.text] = v.text; break;
            default: break;
        }
    };
    // Entries of the state first, then SETITEMS entries, so the latter win like find_key.
    if (dict.kind == Kind::Object && dict.state && dict.state->kind == Kind::Dict)
        for (const auto& [k, v] : dict.state->entries) add(*k, *v);
    for (const auto& [k, v] : dict.entries) add(*k, *v);
    return out;
}

}  // namespace

LoadedCheckpoint location_encoder_from(const Value& root, const std::string& source) {
    if (!is_dict_like(root)) throw DataError(source + ": the checkpoint is a " + kind_name(root.kind) + ", not a dict");
    const Value* state = find_key(root, "state_dict");  // Lightning
    if (state == nullptr) state = &root;                // torch.save(state_dict)
    if (!is_dict_like(*state)) throw DataError(source + ": state_dict is not a dict");

    LoadedCheckpoint out;
    for (const char* prefix : kPrefixes) {
        for (const auto& [k, v] : state->entries) {
            if (k->kind != Kind::String || v->kind != Kind::Tensor || !starts_with(k->text, prefix)) continue;
            const std::string stripped = k->text.substr(std::string(prefix).size());
            if (!is_siren_key(stripped)) continue;
            if (!v->tensor.is_floating_point())
                throw DataError(source + ": " + k->text + " is not a floating-point tensor");
            out.weights[stripped] = v->tensor;  // a repeated key: the last one wins, as in Python
        }
        if (!out.weights.empty()) {
            out.prefix = prefix;
            break;
        }
    }
    if (out.weights.empty())
        throw DataError(source + ": no location-encoder weights (looked for model.location.nnet.*, location.nnet.*, "
                                 "nnet.*, layers.*/last_layer.*)");
    for (const char* key : {"hyper_parameters", "hparams"})
        if (const Value* h = find_key(root, key); h && is_dict_like(*h)) {
            out.hyperparameters = scalars(*h);
            break;
        }
    return out;
}

LoadedCheckpoint load_checkpoint(const std::string& path) {
    const Document doc = read_torch_archive(path);
    LoadedCheckpoint out = location_encoder_from(doc.root(), path);
    out.sha256 = sha256_file_hex(path);
    return out;
}

std::string to_string(const HyperValue& v) {
    struct Visitor {
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        // The shortest %g text that reads back as the same double ("0.1", not "0.10000000000000001").
        std::string operator()(double d) const {
            char buf[32];
            for (int precision = 15; precision <= 17; ++precision) {
                std::snprintf(buf, sizeof buf, "%.*g", precision, d);
                if (std::strtod(buf, nullptr) == d) break;
            }
            return buf;
        }
        std::string operator()(const std::string& s) const { return s; }
    };
    return std::visit(Visitor{}, v);
}

}  // namespace geoenc::checkpoint
