#include "core/location_encoder.h"

#include <cmath>
#include <filesystem>

#include "core/checkpoint/state_dict.h"
#include "core/errors.h"
#include "core/model_file.h"
#include "core/model_spec.h"
#include "core/networks.h"
#include "core/pipeline_encoder.h"
#include "core/positional_encoding.h"

namespace geoenc {

namespace {

// A SatCLIP checkpoint (.pt state dict or Lightning .ckpt): sh:L + SIREN. L comes
// from hyper_parameters.legendre_polys, else from the first layer's width (L*L).
std::unique_ptr<LocationEncoder> open_checkpoint(const std::string& path, const EncoderOptions& opts) {
    checkpoint::LoadedCheckpoint ck = checkpoint::load_checkpoint(path);
    const NetKind kind = Network::detect_kind(ck.weights);
    Network net = Network::from_weights(kind, ck.weights);
    int L = 0;
    auto hp = ck.hyperparameters.find("legendre_polys");
    if (hp != ck.hyperparameters.end() && std::holds_alternative<std::int64_t>(hp->second)) {
        L = int(std::get<std::int64_t>(hp->second));
    } else {
        L = int(std::lround(std::sqrt(double(net.in_dim()))));
        if (int64_t(L) * L != net.in_dim())
            throw DataError(path + ": the first layer takes " + std::to_string(net.in_dim()) +
                            " inputs, not L*L spherical harmonics; cannot tell L");
    }
    if (int64_t(L) * L != net.in_dim())
        throw DataError(path + ": legendre_polys=" + std::to_string(L) + " but the first layer takes " +
                        std::to_string(net.in_dim()) + " inputs (expected " + std::to_string(L * L) + ")");
    ModelSpec pe_spec;
    pe_spec.kind = "sh";
    pe_spec.params = {{"L", std::to_string(L)}, {"convention", "satclip"}};
    std::map<std::string, std::string> meta = {
        {"GEOENC_MODEL", opts.display_name.empty() ? std::filesystem::path(path).filename().string() : opts.display_name},
        {"GEOENC_MODEL_SHA256", ck.sha256},
        {"GEOENC_CONVENTION", "satclip"},
    };
    return make_pipeline_encoder(make_positional_encoding(pe_spec), std::move(net), std::move(meta), opts);
}

// A .geoenc model file (core/model_file.h): its positional encoding and network.
std::unique_ptr<LocationEncoder> open_model_file(const std::string& path, const EncoderOptions& opts) {
    LoadedModel m = load_model_file(path);
    const ModelSpec pe_spec = parse_model_spec(m.config.positional_encoding);
    std::map<std::string, std::string> meta = {
        {"GEOENC_MODEL", std::filesystem::path(path).filename().string()},
        {"GEOENC_MODEL_SHA256", m.sha256},
    };
    if (pe_spec.kind == "sh") meta["GEOENC_CONVENTION"] = pe_spec.get("convention", "satclip");
    return make_pipeline_encoder(make_positional_encoding(pe_spec), std::move(m.network), std::move(meta), opts);
}

bool is_checkpoint_path(const std::string& text) {
    const std::string ext = std::filesystem::path(text).extension().string();
    return ext == ".pt" || ext == ".pth" || ext == ".ckpt";
}

}  // namespace

std::unique_ptr<LocationEncoder> open_encoder(const std::string& model, const EncoderOptions& opts) {
    const ModelSpec spec = parse_model_spec(model);
    for (const auto& kind : positional_encoding_kinds())
        if (spec.kind == kind)
            return make_pipeline_encoder(make_positional_encoding(spec), std::nullopt,
                                                     std::map<std::string, std::string>{}, opts);
    std::error_code ec;
    if (std::filesystem::is_regular_file(model, ec)) {
        if (is_checkpoint_path(model)) return open_checkpoint(model, opts);
        if (is_model_file_path(model)) return open_model_file(model, opts);
        throw UsageError("--model " + model + ": not a model file this build reads (.geoenc, .pt, .pth, .ckpt)");
    }
    if (is_checkpoint_path(model) || is_model_file_path(model)) throw DataError(model + ": no such model file");
    std::string kinds;
    for (const auto& k : positional_encoding_kinds()) kinds += (kinds.empty() ? "" : ", ") + k;
    throw UsageError("--model " + model + ": unknown model (a .geoenc/.pt/.ckpt file, or an analytic encoding: " + kinds + ")");
}

}  // namespace geoenc
