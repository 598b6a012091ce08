#pragma once
// Option groups shared by the tools, as mix-ins: a tool class inherits the
// groups it needs, each declares its options into the ArgTable and reads them
// back into plain settings (osmium-tool's pattern).
#include <string>

#include "cli/arg_spec.h"
#include "core/runtime.h"
#include "io/vector_reader.h"
#include "io/vector_writer.h"

namespace geoenc::cli {

// Every tool: --help, --version, --quiet, --progress, --config, --threads, --device.
struct CommonOptions {
    bool quiet = false;
    int progress = -1;  // -1 auto (stderr is a terminal), 0 off, 1 on
    int threads = 0;
    DeviceKind device = DeviceKind::Auto;

    static void declare(ArgTable& t);
    // Applies --quiet, --config and --threads at once; they affect everything after.
    void read(const ParsedArgs& a);
    bool show_progress() const;
};

// Tools that read a vector layer.
struct VectorInputOptions {
    io::ReaderOptions reader;
    static void declare(ArgTable& t);
    void read(const ParsedArgs& a);
    // stdin can feed one input only: two "-" inputs are a usage error.
    static void check_stdin_use(const std::vector<std::string>& inputs);
};

// Tools that write a vector layer.
struct VectorOutputOptions {
    io::WriterOptions writer;
    static void declare(ArgTable& t);
    void read(const ParsedArgs& a);
    // Problems with OUTPUT (format, stdout use, an existing file) found before any
    // input is read, so a long run or a drained stdin is not wasted on them.
    void check_output(const std::string& output) const;
};

}  // namespace geoenc::cli
