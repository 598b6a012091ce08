#pragma once
// Resolves --model values that name a pretrained model (io/model_registry.h) to
// a file in the local cache, downloading it on first use.
//
// Cache folder: $GEOENC_CACHE, else $XDG_CACHE_HOME/geoenc, else ~/.cache/geoenc.
// A model lives at <cache>/models/<file>, with its SHA-256 beside it in
// <file>.sha256 ("<hex>  <file>", as sha256sum writes it). A file placed there by
// hand is used as it is (only its size is checked, when the registry knows it).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/model_registry.h"

namespace geoenc::io {

// Bytes received so far and the total (-1 when the server does not say).
using DownloadProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// The cache folder (not created). Throws DataError when none can be found (no HOME).
std::string model_cache_dir();
// <cache>/models/<file>
std::string cached_model_path(const RegisteredModel& model);

// Returns `model_arg` unchanged for analytic specs (sh:L=10, ...), for existing
// files and for anything that is not a registered name (open_encoder then
// explains); for a registered name, the cached file, downloaded first if absent.
// A "satclip-..." word that is not registered is a UsageError listing the names.
// A failed download throws a one-line DataError naming the URL and the cache
// path where the file can be placed by hand, and leaves nothing in the cache.
std::string resolve_model(const std::string& model_arg, const DownloadProgress& progress = {},
                          const std::vector<RegisteredModel>& registry = model_registry());

// The cached file of `model`, downloaded first if absent (as above).
std::string fetch_model(const RegisteredModel& model, const DownloadProgress& progress = {});

}  // namespace geoenc::io
