#include "model_command.h"

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/model_loader.h"
#include "core/errors.h"
#include "core/model_info.h"

namespace geoenc::tools {

ModelCommand::ModelCommand()
    : Command("geoenc-model", "Inspect a location-encoder model, or convert it to a geoenc model file (.geoenc).") {}

void ModelCommand::declare(cli::ArgTable& t) {
    t.positional({"COMMAND", "info: describe MODEL. convert: write MODEL as the .geoenc file OUTPUT.",
                  cli::CompleteAs::None});
    t.positional({"MODEL", "A .geoenc file, a SatCLIP checkpoint (.pt, .pth, .ckpt), a pretrained model's name "
                           "(satclip-resnet50-l40, downloaded into the cache on first use) or an analytic spec such as sh:L=10."});
    t.positional({"[OUTPUT]", "convert only: the .geoenc file to write."});
    const std::string g = "Model options";
    t.add({.name = "json", .help = "info: print one JSON object instead of key: value lines.", .group = g});
    t.add({.name = "overwrite", .help = "convert: replace an existing OUTPUT. Without it an existing OUTPUT is an error.",
           .group = g});
}

void ModelCommand::setup(const cli::ParsedArgs& a) {
    const auto& pos = a.positionals();
    if (pos.empty()) throw UsageError("expected a command: info or convert");
    const std::string& sub = pos[0];
    json_ = a.flag("json");
    overwrite_ = a.flag("overwrite");
    if (sub == "info") {
        sub_ = Sub::Info;
        if (pos.size() != 2) throw UsageError("info: expected MODEL, got " + std::to_string(pos.size() - 1) + " argument(s)");
        if (overwrite_) throw UsageError("--overwrite: only for convert");
        model_ = pos[1];
    } else if (sub == "convert") {
        sub_ = Sub::Convert;
        if (pos.size() != 3)
            throw UsageError("convert: expected MODEL and OUTPUT, got " + std::to_string(pos.size() - 1) + " argument(s)");
        if (json_) throw UsageError("--json: only for info");
        model_ = pos[1];
        output_ = pos[2];
        if (output_ == "-") throw UsageError("convert: OUTPUT cannot be stdout (-); name a .geoenc file");
        if (std::filesystem::path(output_).extension() != ".geoenc")
            throw UsageError("convert: OUTPUT " + output_ + " must end in .geoenc");
    } else {
        throw UsageError("unknown command '" + sub + "' (expected info or convert)");
    }
}

void ModelCommand::run() {
    // An existing OUTPUT is refused before MODEL is read or downloaded (and again,
    // race-free, when the file is written).
    std::error_code ec;
    if (sub_ == Sub::Convert && !overwrite_ && std::filesystem::exists(output_, ec))
        throw DataError(output_ + ": output exists (use --overwrite to replace it)");
    // A pretrained model's name resolves to its cached file, downloaded on first use.
    std::string path;
    try {
        path = cli::resolve_model_with_progress(model_, common().show_progress());
    } catch (const UsageError& e) {  // its messages name geoenc-embed's --model; MODEL is positional here
        const std::string m = e.what();
        throw UsageError(m.rfind("--model ", 0) == 0 ? m.substr(8) : m);
    }
    if (sub_ == Sub::Info) {
        ModelInfo info = inspect_model(path);
        if (path != model_) info.model = model_;
        std::cout << (json_ ? model_info_json(info) : model_info_text(info));
        return;
    }
    convert_model(path, output_, overwrite_);
}

}  // namespace geoenc::tools
