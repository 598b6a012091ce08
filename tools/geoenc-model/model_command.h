#pragma once
#include <string>

#include "cli/command.h"

namespace geoenc::tools {

// geoenc-model info MODEL [--json] | geoenc-model convert IN OUT.geoenc [--overwrite]:
// inspect a model (.geoenc, SatCLIP .pt/.ckpt, analytic spec) or convert it to
// geoenc's own model file (core/model_file.h).
class ModelCommand final : public cli::Command {
public:
    ModelCommand();

private:
    void declare(cli::ArgTable& table) override;
    void setup(const cli::ParsedArgs& args) override;
    void run() override;

    enum class Sub { Info, Convert };
    Sub sub_ = Sub::Info;
    std::string model_, output_;
    bool json_ = false;
    bool overwrite_ = false;
};

}  // namespace geoenc::tools
