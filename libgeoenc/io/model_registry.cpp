#include "io/model_registry.h"

#include <cstdlib>

namespace geoenc::io {

// Sizes and SHA-256 digests are those of the Git LFS pointers that added each
// file to its Hugging Face repository (the "Add SatCLIP-..." commit; the pointer
// reads "oid sha256:<digest>" and "size <bytes>"):
//   resnet18-l10 https://huggingface.co/microsoft/SatCLIP-ResNet18-L10/commit/5b1d6063885cbcc7b784fdd721b467e56b22348a
//   resnet18-l40 https://huggingface.co/microsoft/SatCLIP-ResNet18-L40/commit/3af1b3bc10d8df9e42d87e1de0f00be728f88585
//                (same digest on .../blob/main/satclip-resnet18-l40.ckpt)
//   resnet50-l10 https://huggingface.co/microsoft/SatCLIP-ResNet50-L10/commit/716226a64b906c1906614630045b98c72aaaf732
//   resnet50-l40 https://huggingface.co/microsoft/SatCLIP-ResNet50-L40/commit/4591bb4142418299dad615d3fe7c6f88e7943078
//   vit16-l10    https://huggingface.co/microsoft/SatCLIP-ViT16-L10/commit/a13816ad6e57e964e29782a84cd3b06b1f032af7
//   vit16-l40    not found: the adding commit (9e6271a) was not available to us, and the
//                file listing shows only a rounded size. Size 0 and no digest: the
//                download is accepted as served and its SHA-256 recorded, not checked.
// Later commits of these repositories change only README.md.
const std::vector<RegisteredModel>& model_registry() {
    static const std::vector<RegisteredModel> table = {
        {"satclip-resnet18-l10", "microsoft/SatCLIP-ResNet18-L10", "satclip-resnet18-l10.ckpt", 57201927,
         "c4af9559afb43d9c8be2781d4f70ce3f8a1087ea5a3773906c7c50ed05479ebd"},
        {"satclip-resnet18-l40", "microsoft/SatCLIP-ResNet18-L40", "satclip-resnet18-l40.ckpt", 75633927,
         "6e2ed15146566170829bae8dd506d8274cd6fe4534c0ef407668dc3ccb04d2f1"},
        {"satclip-resnet50-l10", "microsoft/SatCLIP-ResNet50-L10", "satclip-resnet50-l10.ckpt", 111491067,
         "87ad5e8ca152e9564896f48de033e8d4278665bce049d36b3794847a430e69b1"},
        {"satclip-resnet50-l40", "microsoft/SatCLIP-ResNet50-L40", "satclip-resnet50-l40.ckpt", 129923067,
         "50df6453c20ce82b51ceba89811dcf1a21e7fa9d625cbc630f4cdcc4fc0de53a"},
        {"satclip-vit16-l10", "microsoft/SatCLIP-ViT16-L10", "satclip-vit16-l10.ckpt", 102550795,
         "c7596a5f7aacf72a7c49587a2a5a80f23cf61000a36b46e471c1422b273ca9c0"},
        {"satclip-vit16-l40", "microsoft/SatCLIP-ViT16-L40", "satclip-vit16-l40.ckpt", 0, ""},
    };
    return table;
}

const RegisteredModel* find_registered_model(const std::string& name, const std::vector<RegisteredModel>& registry) {
    for (const auto& m : registry)
        if (m.name == name) return &m;
    return nullptr;
}

std::string registered_model_names(const std::vector<RegisteredModel>& registry) {
    std::string out;
    for (const auto& m : registry) out += (out.empty() ? "" : ", ") + m.name;
    return out;
}

std::string model_url(const RegisteredModel& model) {
    const char* env = std::getenv("GEOENC_MODEL_BASE_URL");
    std::string base = env && *env ? env : "https://huggingface.co";
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + model.repo + "/resolve/main/" + model.file;
}

}  // namespace geoenc::io
