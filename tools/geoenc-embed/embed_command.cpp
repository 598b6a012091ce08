#include "embed_command.h"

#include <cstdio>
#include <memory>
#include <vector>

#include "cli/progress.h"
#include "core/errors.h"
#include "core/location_encoder.h"
#include "core/log.h"
#include "io/vector_reader.h"
#include "io/vector_writer.h"

namespace geoenc::tools {

namespace {

std::vector<std::string> column_names(const std::string& prefix, std::size_t dim) {
    const int digits = std::max<int>(3, int(std::to_string(dim == 0 ? 0 : dim - 1).size()));
    std::vector<std::string> names(dim);
    for (std::size_t i = 0; i < dim; ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%0*zu", digits, i);
        names[i] = prefix + buf;
    }
    return names;
}

}  // namespace

EmbedCommand::EmbedCommand()
    : Command("geoenc-embed", "Add the location embedding of each feature as new columns (emb_000, emb_001, ...).") {}

void EmbedCommand::declare(cli::ArgTable& t) {
    t.positional({"INPUT", "Any OGR vector source; - reads GeoJSONSeq (or CSV with --if CSV) from stdin."});
    t.positional({"OUTPUT", "The output dataset; - writes GeoJSONSeq (or CSV with -f CSV) to stdout."});
    const std::string g = "Embedding options";
    t.add({.name = "model", .short_name = 'm', .kind = cli::ArgKind::Value, .metavar = "MODEL",
           .help = "The location encoder. sh:L=N is the L*L real spherical harmonics in SatCLIP's convention; "
                   "sh:L=N,convention=orthonormal the textbook ones. Required.",
           .group = g});
    t.add({.name = "precision", .kind = cli::ArgKind::Value, .metavar = "TYPE", .help = "Arithmetic of the encoder.",
           .group = g, .choices = {"float32", "float64"}, .default_value = "float32"});
    t.add({.name = "batch-size", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "Features encoded at a time; memory grows with it.", .group = g, .default_value = "4096"});
    t.add({.name = "prefix", .kind = cli::ArgKind::Value, .metavar = "TEXT", .help = "Prefix of the new column names.",
           .group = g, .default_value = "emb_"});
    VectorInputOptions::declare(t);
    VectorOutputOptions::declare(t);
}

void EmbedCommand::setup(const cli::ParsedArgs& a) {
    const auto& pos = a.positionals();
    if (pos.size() != 2)
        throw UsageError("expected INPUT and OUTPUT, got " + std::to_string(pos.size()) + " argument(s)");
    input_ = pos[0];
    output_ = pos[1];
    check_stdin_use({input_});
    if (input_ != "-" && input_ == output_) throw UsageError("INPUT and OUTPUT are the same file: " + input_);
    model_ = a.value("model");
    if (model_.empty()) throw UsageError("--model: required, e.g. --model sh:L=10");
    precision_ = parse_precision(a.value("precision"));
    const std::string bs = a.value("batch-size");
    char* end = nullptr;
    const long long n = std::strtoll(bs.c_str(), &end, 10);
    if (bs.empty() || *end != '\0' || n < 1 || n > 100000000)
        throw UsageError("--batch-size: expected a whole number >= 1, got '" + bs + "'");
    batch_size_ = std::size_t(n);
    prefix_ = a.value("prefix");
    VectorInputOptions::read(a);
    VectorOutputOptions::read(a);
    check_output(output_);
}

void EmbedCommand::run() {
    // Usage problems with the model surface before any file is opened or created.
    std::unique_ptr<LocationEncoder> encoder = open_encoder(model_, {common().device, precision_});
    io::VectorReader source(input_, reader);
    const std::vector<std::string> columns = column_names(prefix_, encoder->dim());
    io::VectorWriter sink(output_, writer, *source.layer().GetLayerDefn(), source.source_srs(), columns);
    sink.set_metadata(encoder->metadata());

    cli::Progress progress(common().show_progress(), "embedding", source.count_hint());
    io::FeatureBatch batch;
    std::vector<double> embedding;
    while (source.next(batch, batch_size_)) {
        embedding.resize(batch.size() * encoder->dim());
        encoder->encode(batch.lon.data(), batch.lat.data(), batch.size(), embedding.data());
        sink.write(batch, embedding.data());
        progress.update(sink.written() + source.skipped());
    }
    sink.close();
    progress.finish();
    if (source.skipped() > 0)
        log::warn(source.where_text() + ": skipped " + std::to_string(source.skipped()) +
                  " feature(s) with null, empty or out-of-range geometry (--skip-invalid)");
}

}  // namespace geoenc::tools
