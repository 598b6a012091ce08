#pragma once
// --model as every tool takes it: a registered name resolves to its cached file
// (downloaded on first use, with a progress bar on a terminal), and the encoder
// keeps the name, not the cache path, for output metadata.
#include <memory>
#include <string>

#include "cli/common_options.h"
#include "core/location_encoder.h"

namespace geoenc::cli {

// The file or spec to open for `model` (see io::resolve_model).
std::string resolve_model_with_progress(const std::string& model, bool show_progress);

// Resolves `model` and opens it on common.device in `precision`.
std::unique_ptr<LocationEncoder> open_model(const std::string& model, const CommonOptions& common, Precision precision);

}  // namespace geoenc::cli
