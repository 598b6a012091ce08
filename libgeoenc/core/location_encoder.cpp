#include "core/location_encoder.h"

#include <filesystem>

#include "core/errors.h"
#include "core/model_file.h"
#include "core/model_spec.h"
#include "core/pipeline_encoder.h"
#include "core/positional_encoding.h"

namespace geoenc {

std::unique_ptr<LocationEncoder> open_encoder(const std::string& model, const EncoderOptions& opts) {
    // One loader for every kind of model (core/model_file.h): analytic specs,
    // SatCLIP checkpoints (L from legendre_polys or the first layer) and .geoenc files.
    LoadedModel m;
    try {
        m = load_model(model);
    } catch (const UsageError& e) {
        // name the option once: most spec errors already start with it
        const std::string what = e.what();
        if (what.rfind("--model", 0) == 0) throw;
        throw UsageError("--model " + what);
    }
    const ModelSpec pe_spec = parse_model_spec(m.config.positional_encoding);
    std::map<std::string, std::string> meta;
    if (m.kind != "analytic") {
        meta["GEOENC_MODEL"] =
            opts.display_name.empty() ? std::filesystem::path(model).filename().string() : opts.display_name;
        meta["GEOENC_MODEL_SHA256"] = m.sha256;
        if (pe_spec.kind == "sh") meta["GEOENC_CONVENTION"] = pe_spec.get("convention", "satclip");
    }
    std::shared_ptr<const PredictionHead> head = make_prediction_head(m);
    return make_pipeline_encoder(make_positional_encoding(pe_spec), std::move(m.network), std::move(meta), opts,
                                 std::move(head));
}

}  // namespace geoenc
