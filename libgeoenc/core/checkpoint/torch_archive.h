#pragma once
// Opens a torch.save zip archive (.pt / .ckpt): reads <prefix>/data.pkl with the
// safe unpickler and its tensor storages from <prefix>/data/<key>. LibTorch's
// PyTorchStreamReader does the zip part; nothing in the file is executed.
#include <string>
#include <string_view>

#include "core/checkpoint/unpickler.h"

namespace geoenc::checkpoint {

// Throws DataError naming `path` for unreadable, non-zip, truncated or corrupt files.
Document read_torch_archive(const std::string& path, const UnpickleLimits& limits = {});

// The same from bytes in memory (tests, fuzzing); `name` is used in messages.
// The tensors own their data: `bytes` may go away afterwards.
Document read_torch_archive_bytes(std::string_view bytes, const std::string& name,
                                  const UnpickleLimits& limits = {});

}  // namespace geoenc::checkpoint
