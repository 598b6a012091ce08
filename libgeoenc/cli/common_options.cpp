#include "cli/common_options.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "core/errors.h"
#include "core/log.h"
#include "io/gdal_session.h"
#include "io/output_format.h"

namespace geoenc::cli {

namespace {
int parse_count(const std::string& option, const std::string& text) {
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v < 0 || v > 4096)
        throw UsageError("--" + option + ": expected a whole number >= 0, got '" + text + "'");
    return int(v);
}
}  // namespace

void CommonOptions::declare(ArgTable& t) {
    const std::string g = "General options";
    t.add({.name = "help", .short_name = 'h', .help = "Show this help and exit.", .group = g});
    t.add({.name = "version", .help = "Show the versions of geoenc, GDAL, PROJ, GEOS and LibTorch, and whether CUDA is available.", .group = g});
    t.add({.name = "quiet", .short_name = 'q', .help = "Print no warnings, information or progress; errors still go to stderr.", .group = g});
    t.add({.name = "progress", .help = "Show a progress bar on stderr even when it is not a terminal.", .group = g});
    t.add({.name = "no-progress", .help = "Never show a progress bar.", .group = g});
    t.add({.name = "config", .kind = ArgKind::KeyValue, .help = "Set a GDAL configuration option, as in GDAL's tools.", .group = g});
    t.add({.name = "threads", .kind = ArgKind::Value, .metavar = "N", .help = "Compute threads; 0: OMP_NUM_THREADS if set, else every CPU this process may use (its affinity).", .group = g, .default_value = "0"});
    t.add({.name = "device", .kind = ArgKind::Value, .metavar = "DEVICE", .help = "Where to compute; auto picks CUDA when this build has it and a GPU is present.", .group = g, .choices = {"auto", "cpu", "cuda"}, .default_value = "auto"});
    t.add({.name = "help-markdown", .help = "Print the options as Markdown (for the man page).", .group = g, .hidden = true});
    t.add({.name = "list-options", .help = "Print the options for shell completion.", .group = g, .hidden = true});
}

void CommonOptions::read(const ParsedArgs& a) {
    quiet = a.flag("quiet");
    log::set_quiet(quiet);
    if (a.flag("progress") && a.flag("no-progress")) throw UsageError("--progress and --no-progress contradict each other");
    progress = a.flag("progress") ? 1 : a.flag("no-progress") ? 0 : -1;
    for (const auto& [k, v] : a.pairs("config")) io::set_config(k, v);
    threads = parse_count("threads", a.value("threads"));
    set_threads(threads);
    device = parse_device(a.value("device"));
    // an explicit --device cuda without CUDA is a usage error in every tool,
    // also those that compute nothing on it for some inputs
    if (device == DeviceKind::Cuda) resolve_device(DeviceKind::Cuda);
}

bool CommonOptions::show_progress() const {
    if (progress >= 0) return progress == 1;
    return !quiet && isatty(STDERR_FILENO);
}

void VectorInputOptions::declare(ArgTable& t) {
    const std::string g = "Input options";
    t.add({.name = "layer", .short_name = 'l', .kind = ArgKind::Value, .metavar = "NAME", .help = "Read this layer of the input; default: the first.", .group = g});
    t.add({.name = "where", .kind = ArgKind::Value, .metavar = "EXPR", .help = "Only read features matching this OGR SQL attribute filter, e.g. \"pop > 1000\".", .group = g});
    t.add({.name = "oo", .kind = ArgKind::List, .metavar = "NAME=VALUE", .help = "A GDAL open option of the input driver.", .group = g});
    t.add({.name = "if", .kind = ArgKind::Value, .metavar = "FORMAT", .help = "Read the input with this GDAL driver only; --if CSV reads CSV from stdin.", .group = g, .complete = CompleteAs::VectorFormat});
    t.add({.name = "s_srs", .kind = ArgKind::Value, .metavar = "CRS", .help = "The input's CRS (EPSG:n, WKT, PROJ string), overriding or supplying the layer's.", .group = g, .complete = CompleteAs::Crs});
    t.add({.name = "point", .kind = ArgKind::Value, .metavar = "MODE", .help = "The location of a line or polygon.", .group = g, .choices = {"point-on-surface", "centroid"}, .default_value = "point-on-surface"});
    t.add({.name = "skip-invalid", .help = "Skip features with null, empty or out-of-range geometry and report how many, instead of failing.", .group = g});
}

void VectorInputOptions::read(const ParsedArgs& a) {
    reader.layer = a.value("layer");
    reader.where = a.value("where");
    reader.open_options = a.list("oo");
    reader.input_format = a.value("if");
    reader.s_srs = a.value("s_srs");
    reader.point = io::parse_point_mode(a.value("point"));
    reader.skip_invalid = a.flag("skip-invalid");
    io::check_reader_options(reader);
}

void VectorInputOptions::check_stdin_use(const std::vector<std::string>& inputs) {
    int from_stdin = 0;
    for (const auto& in : inputs) from_stdin += in == "-";
    if (from_stdin > 1) throw UsageError("only one input can be read from stdin (-), got " + std::to_string(from_stdin));
}

void VectorOutputOptions::declare(ArgTable& t) {
    const std::string g = "Output options";
    t.add({.name = "of", .short_name = 'f', .kind = ArgKind::Value, .metavar = "FORMAT", .help = "GDAL vector driver of the output; default: from the extension, GPKG without one, GeoJSONSeq for stdout (-).", .group = g, .complete = CompleteAs::VectorFormat});
    t.add({.name = "co", .kind = ArgKind::List, .metavar = "NAME=VALUE", .help = "A dataset creation option of the output driver.", .group = g});
    t.add({.name = "lco", .kind = ArgKind::List, .metavar = "NAME=VALUE", .help = "A layer creation option of the output driver.", .group = g});
    t.add({.name = "nln", .kind = ArgKind::Value, .metavar = "NAME", .help = "Name of the output layer; default: the output file's name without extension.", .group = g});
    t.add({.name = "overwrite", .help = "Replace an existing output. Without it an existing output is an error.", .group = g});
}

void VectorOutputOptions::read(const ParsedArgs& a) {
    writer.format = a.value("of");
    writer.dataset_options = a.list("co");
    writer.layer_options = a.list("lco");
    writer.layer_name = a.value("nln");
    writer.overwrite = a.flag("overwrite");
    io::check_writer_options(writer);
}

void VectorOutputOptions::check_output(const std::string& output) const {
    const io::OutputTarget target = io::choose_vector_output(output, writer.format);
    std::error_code ec;
    if (!target.to_stdout && !writer.overwrite && std::filesystem::exists(output, ec))
        throw DataError(output + ": output exists (use --overwrite to replace it)");
}

}  // namespace geoenc::cli
