#pragma once
// The life of every tool: declare options, parse, apply the common ones,
// setup(), run(), and map errors to one line on stderr and an exit status:
// 0 ok, 1 data or runtime error, 2 usage error.
#include <string>

#include "cli/arg_spec.h"
#include "cli/common_options.h"

namespace geoenc::cli {

class Command {
public:
    Command(std::string name, std::string summary);
    virtual ~Command();
    int main(int argc, char** argv);

protected:
    virtual void declare(ArgTable& table) = 0;
    virtual void setup(const ParsedArgs& args) = 0;
    virtual void run() = 0;

    const std::string& name() const { return name_; }
    const CommonOptions& common() const { return common_; }

private:
    int dispatch(int argc, char** argv);
    void print_version() const;

    std::string name_;
    std::string summary_;
    CommonOptions common_;
};

}  // namespace geoenc::cli
