#include "embed_command.h"

#include <filesystem>

#include <cerrno>
#include <cstdio>
#include <limits>
#include <memory>
#include <vector>

#include "cli/model_loader.h"
#include "cli/progress.h"
#include "cli/number_args.h"
#include "core/errors.h"
#include "core/location_encoder.h"
#include "core/log.h"
#include "io/model_registry.h"
#include "io/polygon_sampler.h"
#include "io/shard.h"
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

bool is_areal(const OGRGeometry* g) {
    return g && (OGR_GT_IsSubClassOf(wkbFlatten(g->getGeometryType()), wkbCurvePolygon) ||
                   OGR_GT_IsSubClassOf(wkbFlatten(g->getGeometryType()), wkbMultiSurface));
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
                   "sh:L=N,convention=orthonormal the textbook ones; direct, cartesian3d, wrap, grid, theory, spherec, "
                   "spherec+, spherem, spherem+ the other encodings of the SH+SIREN paper (e.g. spherec+:frequencies=16). "
                   "A .pt or .ckpt file is a SatCLIP checkpoint; a .geoenc file a model from geoenc-model. "
                   "A pretrained SatCLIP model by name is downloaded into the cache on first use: " +
                   io::registered_model_names() + ". Required.",
           .group = g});
    t.add({.name = "precision", .kind = cli::ArgKind::Value, .metavar = "TYPE", .help = "Arithmetic of the encoder.",
           .group = g, .choices = {"float32", "float64"}, .default_value = "float32"});
    t.add({.name = "batch-size", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "Features encoded at a time; memory grows with it.", .group = g, .default_value = "4096"});
    t.add({.name = "prefix", .kind = cli::ArgKind::Value, .metavar = "TEXT", .help = "Prefix of the new column names.",
           .group = g, .default_value = "emb_"});
    t.add({.name = "format", .kind = cli::ArgKind::Value, .metavar = "LAYOUT",
           .help = "columns: one REAL column per dimension; blob: one BLOB column (the prefix without its "
                   "trailing _) of little-endian float32s, for wide embeddings.",
           .group = g, .choices = {"columns", "blob"}, .default_value = "columns"});
    t.add({.name = "aggregate", .kind = cli::ArgKind::Value, .metavar = "HOW",
           .help = "none: embed one point per feature (see --point); mean: embed a polygon as the mean over "
                   "--samples points drawn uniformly by area inside it.",
           .group = g, .choices = {"none", "mean"}, .default_value = "none"});
    t.add({.name = "samples", .kind = cli::ArgKind::Value, .metavar = "K", .help = "Points per polygon with --aggregate mean.",
           .group = g, .default_value = "16"});
    t.add({.name = "seed", .kind = cli::ArgKind::Value, .metavar = "N", .help = "Seed of the --aggregate sampling; the same seed gives the same output.",
           .group = g, .default_value = "0"});
    t.add({.name = "shard", .kind = cli::ArgKind::Value, .metavar = "I/N",
           .help = "Process shard I of N (by a stable hash of the FID) and write OUT as NAME.shard-IIII-of-NNNN.EXT. "
                   "Default: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, else everything.",
           .group = "Parallel runs"});
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
    batch_size_ = std::size_t(cli::whole_arg(a, "batch-size", 1, 100000000));
    prefix_ = a.value("prefix");
    prefix_given_ = a.given("prefix");
    blob_ = a.value("format") == "blob";
    if (a.value("aggregate") == "mean") {
        samples_ = cli::whole_arg(a, "samples", 1, 1000000);
        seed_ = std::uint64_t(cli::whole_arg(a, "seed", 0, std::numeric_limits<long long>::max()));
    } else if (a.given("samples") || a.given("seed")) {
        throw UsageError("--samples and --seed need --aggregate mean");
    }
    VectorInputOptions::read(a);
    VectorOutputOptions::read(a);
    reader.shard = a.given("shard") ? io::parse_shard(a.value("shard")) : io::shard_from_environment();
    // A shard's name gets a tag before the extension; a name without one
    // (GeoPackage by default) keeps that default rather than read the tag as one.
    if (reader.shard.active() && writer.format.empty() && output_ != "-" &&
        std::filesystem::path(output_).extension().empty())
        writer.format = "GPKG";
    // Every shard's layer has the unsharded name, so the merged one does too.
    if (reader.shard.active() && writer.layer_name.empty() && output_ != "-")
        writer.layer_name = std::filesystem::path(output_).stem().string();
    output_ = io::shard_output_name(output_, reader.shard);
    check_output(output_);
}

void EmbedCommand::encode_batch(LocationEncoder& encoder, const io::VectorReader& source,
                                const io::FeatureBatch& batch, std::vector<double>& embedding) {
    const std::size_t d = encoder.dim();
    embedding.resize(batch.size() * d);
    if (samples_ == 0) {
        encoder.encode(batch.lon.data(), batch.lat.data(), batch.size(), embedding.data());
        return;
    }
    // --aggregate mean: all sample points of the batch in one encode call, then per-feature means.
    const io::PolygonSampler sampler(seed_, samples_);
    std::vector<double> lon, lat;
    std::vector<std::size_t> first(batch.size() + 1, 0);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const OGRFeature& f = *batch.features[i];
        if (is_areal(f.GetGeometryRef())) {
            const auto polygon = source.geometry_wgs84(f);  // its errors name the file and FID already
            try {
                sampler.sample(*polygon, f.GetFID(), lon, lat);
            } catch (const DataError& e) {
                throw DataError(source.where_text() + ", " + e.what());
            }
        } else {  // points and lines: their one location
            lon.push_back(batch.lon[i]);
            lat.push_back(batch.lat[i]);
        }
        first[i + 1] = lon.size();
    }
    std::vector<double> pooled(lon.size() * d);
    encoder.encode(lon.data(), lat.data(), lon.size(), pooled.data());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        double* mean = &embedding[i * d];
        std::fill(mean, mean + d, 0.0);
        for (std::size_t p = first[i]; p < first[i + 1]; ++p)
            for (std::size_t k = 0; k < d; ++k) mean[k] += pooled[p * d + k];
        const double inv = 1.0 / double(first[i + 1] - first[i]);
        for (std::size_t k = 0; k < d; ++k) mean[k] *= inv;
    }
}

void EmbedCommand::run() {
    // Usage problems with the model surface before any file is opened or created.
    // A named model resolves to its cached file (downloaded on first use); metadata keeps the name.
    std::unique_ptr<LocationEncoder> encoder = cli::open_model(model_, common(), precision_);
    const PredictorSpec* predictor = encoder->predictor();
    if (predictor && (blob_ || prefix_given_))
        throw UsageError("--model " + model_ + " is a trained model: it writes pred and prob_<label> columns, "
                         "so --format blob and --prefix do not apply");
    io::VectorReader source(input_, reader);

    io::AppendedValues appended;
    appended.dim = encoder->dim();
    if (predictor && predictor->task == Task::Classification) {
        for (const auto& label : predictor->labels) appended.names.push_back(probability_name(label));
        appended.text_names = {"pred"};
    } else if (predictor) {
        appended.names = {"pred"};
    } else if (blob_) {
        appended.layout = io::AppendedValues::Layout::Float32Blob;
        std::string name = prefix_;
        while (!name.empty() && name.back() == '_') name.pop_back();
        appended.names = {name.empty() ? std::string("emb") : name};
    } else {
        appended.names = column_names(prefix_, encoder->dim());
    }
    writer.promote_to_multi = source.single_type_covers_multi();
    io::VectorWriter sink(output_, writer, *source.layer().GetLayerDefn(), source.source_srs(), appended);
    std::map<std::string, std::string> meta = encoder->metadata();
    meta["GEOENC_FORMAT"] = predictor ? "predictions" : blob_ ? "blob" : "columns";
    if (blob_) meta["GEOENC_BLOB"] = appended.names[0] + ": " + std::to_string(appended.dim) + " x float32, little-endian";
    if (samples_ > 0) meta["GEOENC_AGGREGATE"] = "mean of " + std::to_string(samples_) + " points per polygon, seed " + std::to_string(seed_);
    if (reader.shard.active()) meta["GEOENC_SHARD"] = std::to_string(reader.shard.index) + "/" + std::to_string(reader.shard.count);
    sink.set_metadata(meta);

    cli::Progress progress(common().show_progress(), "embedding", reader.shard.active() ? -1 : source.count_hint());
    io::FeatureBatch batch;
    std::vector<double> embedding;
    std::vector<std::string> classes;
    const bool classify = predictor && predictor->task == Task::Classification;
    while (source.next(batch, batch_size_)) {
        encode_batch(*encoder, source, batch, embedding);
        if (classify) {
            // The class of the (mean) probabilities: with --aggregate mean, of the polygon as a whole.
            const std::size_t k = predictor->labels.size();
            classes.resize(batch.size());
            for (std::size_t i = 0; i < batch.size(); ++i) classes[i] = predictor->labels[argmax(&embedding[i * k], k)];
        }
        sink.write(batch, embedding.data(), classify ? classes.data() : nullptr);
        progress.update(sink.written() + source.skipped());
    }
    sink.close();
    progress.finish();
    if (source.skipped() > 0)
        log::warn(source.where_text() + ": skipped " + std::to_string(source.skipped()) +
                  " feature(s) with null, empty or out-of-range geometry (--skip-invalid)");
}

}  // namespace geoenc::tools
