#include "cli/command.h"

#include <cstdio>
#include <iostream>

#include "core/blas_runtime.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/runtime.h"
#include "io/gdal_session.h"

namespace geoenc::cli {

Command::Command(std::string name, std::string summary) : name_(std::move(name)), summary_(std::move(summary)) {}
Command::~Command() = default;

void Command::print_version() const {
    std::cout << name_ << " " << geoenc_version() << "\n"
              << "GDAL " << io::gdal_version() << ", PROJ " << io::proj_version() << ", GEOS "
              << io::geos_version() << ", LibTorch " << torch_version() << "\n"
              << "CUDA: " << (cuda_available() ? "available" : "not available") << "\n";
    const std::string blas = select_blas_kernels();
    std::cout << "BLAS: " << (blas.empty() ? "not OpenBLAS" : "OpenBLAS, " + blas + " kernels") << "\n";
}

int Command::dispatch(int argc, char** argv) {
    ArgTable table;
    CommonOptions::declare(table);
    declare(table);
    const ParsedArgs args = table.parse(argc, argv);
    if (args.flag("help")) {
        table.print_help(std::cout, name_, summary_);
        return 0;
    }
    if (args.flag("version")) {
        print_version();
        return 0;
    }
    if (args.flag("help-markdown")) {
        table.print_markdown(std::cout);
        return 0;
    }
    if (args.flag("list-options")) {
        table.print_option_list(std::cout);
        return 0;
    }
    common_.read(args);
    setup(args);
    run();
    const std::string pending = io::take_last_error();
    if (!pending.empty()) throw DataError("GDAL: " + pending);
    return 0;
}

int Command::main(int argc, char** argv) {
    log::set_program(name_);
    flush_denormals();  // before any thread exists: threads inherit the setting
    select_blas_kernels();
    // GDAL reads some options while it registers its drivers (GDAL_SKIP,
    // GDAL_DRIVER_PATH): --config goes in first, as in GDAL's own tools; the
    // argument table checks and applies it again later.
    for (int i = 1; i + 1 < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") break;
        if (arg != "--config") continue;
        const std::string key = argv[i + 1];
        const auto eq = key.find('=');
        if (eq != std::string::npos && eq > 0) {  // --config KEY=VALUE
            io::set_config(key.substr(0, eq), key.substr(eq + 1));
            i += 1;
        } else if (!key.empty() && i + 2 < argc) {  // --config KEY VALUE
            io::set_config(key, argv[i + 2]);
            i += 2;
        }
    }
    io::GdalSession gdal;
    try {
        const int status = dispatch(argc, argv);
        if (std::fflush(stdout) != 0) throw DataError("stdout: write failed");
        return status;
    } catch (const UsageError& e) {
        log::error(std::string(e.what()) + " (see " + name_ + " --help)");
        return 2;
    } catch (const std::exception& e) {
        log::error(e.what());
        return 1;
    }
}

}  // namespace geoenc::cli
