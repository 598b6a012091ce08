#include "cli/model_loader.h"

#include "cli/progress.h"
#include "io/model_cache.h"

namespace geoenc::cli {

std::string resolve_model_with_progress(const std::string& model, bool show_progress) {
    std::unique_ptr<Progress> download;
    const std::string path = io::resolve_model(model, [&](std::int64_t done, std::int64_t total) {
        if (!download) download = std::make_unique<Progress>(show_progress, "downloading " + model, total);
        download->update(done);
    });
    if (download) download->finish();
    return path;
}

std::unique_ptr<LocationEncoder> open_model(const std::string& model, const CommonOptions& common, Precision precision) {
    const std::string path = resolve_model_with_progress(model, common.show_progress());
    EncoderOptions options{common.device, precision};
    if (path != model) options.display_name = model;
    return open_encoder(path, options);
}

}  // namespace geoenc::cli
