#include "rasterize_command.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <sstream>
#include <strings.h>

#include "cli/model_loader.h"
#include "cli/number_args.h"
#include "cli/progress.h"
#include "core/errors.h"
#include "core/log.h"
#include "io/model_registry.h"
#include "io/splitmix64.h"
#include "io/vector_reader.h"
#include "window_embedder.h"
#include "window_writer_thread.h"

namespace geoenc::tools {

namespace {

// Pixels per point-wise embedding call within a window: bounds the embedding
// buffer (pixels x dim doubles) whatever the window and model size.
constexpr std::size_t kPixelsPerCall = 16384;

double parse_number(const std::string& text, const std::string& option) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno || !std::isfinite(v))
        throw UsageError(option + ": expected a number, got '" + text + "'");
    return v;
}

// "a b c" (a multi-token option) or "a,b" -> numbers.
std::vector<double> parse_numbers(const std::string& text, const std::string& option, std::size_t count, char sep) {
    std::vector<double> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, sep)) out.push_back(parse_number(item, option));
    if (out.size() != count || (!text.empty() && text.back() == sep))
        throw UsageError(option + ": expected " + std::to_string(count) + " numbers, got '" + text + "'");
    return out;
}

// Lon/lat of every feature of a vector source (its point, as geoenc-embed takes it).
void read_points(const std::string& path, const std::string& option, std::vector<double>& lon, std::vector<double>& lat) {
    io::VectorReader reader(path, io::ReaderOptions{});
    io::FeatureBatch batch;
    while (reader.next(batch, 4096)) {
        lon.insert(lon.end(), batch.lon.begin(), batch.lon.end());
        lat.insert(lat.end(), batch.lat.begin(), batch.lat.end());
    }
    if (lon.empty()) throw DataError(reader.where_text() + ": no features (" + option + ")");
}

}  // namespace

RasterizeCommand::RasterizeCommand()
    : Command("geoenc-rasterize",
              "Write a raster of location embeddings, their principal components or their similarity to reference "
              "locations, computed at every pixel centre.") {}

void RasterizeCommand::declare(cli::ArgTable& t) {
    t.positional({"OUTPUT", "The raster to write (GeoTIFF unless -f says otherwise)."});
    const std::string e = "Embedding options";
    t.add({.name = "model", .short_name = 'm', .kind = cli::ArgKind::Value, .metavar = "MODEL",
           .help = "The location encoder, as for geoenc-embed: sh:L=N, another positional encoding, a SatCLIP .pt/.ckpt "
                   "checkpoint, a .geoenc file or a pretrained model by name (" + io::registered_model_names() +
                   "). Required.",
           .group = e});
    t.add({.name = "precision", .kind = cli::ArgKind::Value, .metavar = "TYPE", .help = "Arithmetic of the encoder.",
           .group = e, .choices = {"float32", "float64"}, .default_value = "float32"});
    t.add({.name = "mode", .kind = cli::ArgKind::Value, .metavar = "MODE",
           .help = "embedding: one band per embedding dimension (see --bands); pca: the first --components principal "
                   "components; similarity: the cosine similarity to each --ref or to --ref-vector; predict: a model "
                   "trained by geoenc-train: the class (Byte band \"class\", the class index, nodata 255) or the "
                   "regression value.",
           .group = e, .choices = {"embedding", "pca", "similarity", "predict"}, .default_value = "embedding"});
    t.add({.name = "probabilities", .help = "With --mode predict and a classifier: one Float32 band per class, "
                                            "prob_<label>, instead of the class index.",
           .group = e});
    t.add({.name = "bands", .kind = cli::ArgKind::Value, .metavar = "LIST",
           .help = "With --mode embedding: the dimensions to write, e.g. 0-15,42; default: all.", .group = e});
    t.add({.name = "components", .kind = cli::ArgKind::Value, .metavar = "K",
           .help = "With --mode pca: how many components.", .group = e, .default_value = "3"});
    t.add({.name = "rgb", .help = "With --mode pca and 3 components: a Byte RGB image, each component stretched "
                                  "between its 2nd and 98th percentile over the fit sample (1 to 255; 0 is nodata).",
           .group = e});
    t.add({.name = "pca-from", .kind = cli::ArgKind::Value, .metavar = "VECTOR",
           .help = "With --mode pca: fit the components on the embeddings of these features' locations instead of a "
                   "sample of the grid.",
           .group = e, .complete = cli::CompleteAs::File});
    t.add({.name = "pca-samples", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "With --mode pca: pixel centres sampled (seeded) from the whole grid to fit the components.",
           .group = e, .default_value = "10000"});
    t.add({.name = "seed", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "Seed of the --mode pca sample; the same seed gives the same output.", .group = e,
           .default_value = "0"});
    t.add({.name = "ref", .kind = cli::ArgKind::List, .metavar = "LON,LAT",
           .help = "With --mode similarity: a reference location in degrees; one band per --ref.", .group = e});
    t.add({.name = "ref-vector", .kind = cli::ArgKind::Value, .metavar = "FILE",
           .help = "With --mode similarity: one band, the similarity to the mean embedding of this vector file's "
                   "features (each at its point, as geoenc-embed takes it).",
           .group = e, .complete = cli::CompleteAs::File});
    t.add({.name = "point-wise", .help = "Encode every pixel on its own even on lon/lat grids, where the separable "
                                         "evaluation is used otherwise (slower; for checks).",
           .group = e});

    const std::string g = "Grid options";
    t.add({.name = "te", .kind = cli::ArgKind::Value, .metavar = "XMIN YMIN XMAX YMAX",
           .help = "Extent in --t_srs units. In degrees, xmax may exceed 180 to cross the antimeridian.", .group = g,
           .tokens = 4});
    t.add({.name = "tr", .kind = cli::ArgKind::Value, .metavar = "XRES YRES",
           .help = "Pixel size in --t_srs units; the grid starts at xmin, ymax (gdalwarp's rule).", .group = g,
           .tokens = 2});
    t.add({.name = "ts", .kind = cli::ArgKind::Value, .metavar = "WIDTH HEIGHT", .help = "Size in pixels, instead of --tr.",
           .group = g, .tokens = 2});
    t.add({.name = "t_srs", .kind = cli::ArgKind::Value, .metavar = "CRS",
           .help = "CRS of the grid (EPSG:n, WKT, PROJ string); pixel centres are projected to lon/lat with PROJ, "
                   "and those without one are nodata.",
           .group = g, .default_value = "EPSG:4326", .complete = cli::CompleteAs::Crs});
    t.add({.name = "like", .kind = cli::ArgKind::Value, .metavar = "RASTER",
           .help = "Copy the grid (size, georeferencing, CRS) of this raster instead of --te/--tr/--ts/--t_srs.",
           .group = g, .complete = cli::CompleteAs::File});
    t.add({.name = "mask", .kind = cli::ArgKind::Value, .metavar = "VECTOR",
           .help = "Nodata outside the polygons of this vector file (pixel centre inside a polygon).", .group = g,
           .complete = cli::CompleteAs::File});

    const std::string o = "Output options";
    t.add({.name = "of", .short_name = 'f', .kind = cli::ArgKind::Value, .metavar = "FORMAT",
           .help = "GDAL raster driver: GTiff (tiled, DEFLATE, BIGTIFF=IF_SAFER unless --co says otherwise), COG, or "
                   "any other; drivers that only copy are written through a temporary GeoTIFF. Default: from "
                   "OUTPUT's extension, as GDAL's tools choose it (.tif or none: GTiff).",
           .group = o, .complete = cli::CompleteAs::RasterFormat});
    t.add({.name = "co", .kind = cli::ArgKind::List, .metavar = "NAME=VALUE",
           .help = "A creation option of the output driver.", .group = o});
    t.add({.name = "ot", .kind = cli::ArgKind::Value, .metavar = "TYPE",
           .help = "Band data type; integer types store round((value - offset) / scale), clamped.", .group = o,
           .choices = {"Float32", "Float64", "Int16", "Byte"}, .default_value = "Float32"});
    t.add({.name = "nodata", .kind = cli::ArgKind::Value, .metavar = "VALUE",
           .help = "Nodata value; default: NaN for float types, the smallest value for integer types.", .group = o});
    t.add({.name = "scale", .kind = cli::ArgKind::Value, .metavar = "S",
           .help = "Band scale (GDAL metadata): value = stored * S + offset.", .group = o});
    t.add({.name = "offset", .kind = cli::ArgKind::Value, .metavar = "O", .help = "Band offset (GDAL metadata).",
           .group = o});
    t.add({.name = "overwrite", .help = "Replace an existing output. Without it an existing output is an error.",
           .group = o});
    t.add({.name = "shard", .kind = cli::ArgKind::Value, .metavar = "I/N",
           .help = "Write only shard I of N, a band of whole block rows, as NAME.shard-IIII-of-NNNN.EXT; the shards "
                   "mosaic with gdalbuildvrt. Default: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, else everything.",
           .group = "Parallel runs"});
}

void RasterizeCommand::setup(const cli::ParsedArgs& a) {
    const auto& pos = a.positionals();
    if (pos.size() != 1) throw UsageError("expected OUTPUT, got " + std::to_string(pos.size()) + " argument(s)");
    output_ = pos[0];
    if (output_ == "-") throw UsageError("OUTPUT: rasters are not written to stdout (-); give a file name");
    model_ = a.value("model");
    if (model_.empty()) throw UsageError("--model: required, e.g. --model sh:L=10");
    precision_ = parse_precision(a.value("precision"));
    point_wise_ = a.flag("point-wise");

    if (a.given("te")) {
        const auto v = parse_numbers(a.value("te"), "--te", 4, ' ');
        grid_request_.te = std::array<double, 4>{v[0], v[1], v[2], v[3]};
    }
    if (a.given("tr")) {
        const auto v = parse_numbers(a.value("tr"), "--tr", 2, ' ');
        grid_request_.tr = std::array<double, 2>{v[0], v[1]};
    }
    if (a.given("ts")) {
        const auto v = parse_numbers(a.value("ts"), "--ts", 2, ' ');
        for (double x : v)
            if (x != std::floor(x) || std::fabs(x) > 1e15)  // beyond that, no size is valid (and no cast defined)
                throw UsageError("--ts: expected whole numbers from 1 to " + std::to_string(io::kMaxRasterSide) +
                                 ", got '" + a.value("ts") + "'");
        grid_request_.ts = std::array<long long, 2>{(long long)v[0], (long long)v[1]};
    }
    if (a.given("like") && a.given("t_srs")) throw UsageError("--like copies the CRS too: it takes no --t_srs");
    grid_request_.t_srs = a.value("t_srs");
    grid_request_.like = a.value("like");

    mode_ = a.value("mode");
    bands_ = a.value("bands");
    if (a.given("bands") && mode_ != "embedding") throw UsageError("--bands needs --mode embedding");
    const bool pca = mode_ == "pca", sim = mode_ == "similarity";
    if (!pca && (a.given("components") || a.flag("rgb") || a.given("pca-from") || a.given("pca-samples") || a.given("seed")))
        throw UsageError("--components, --rgb, --pca-from, --pca-samples and --seed need --mode pca");
    components_ = int(cli::whole_arg(a, "components", 1, 4096));
    pca_samples_ = std::size_t(cli::whole_arg(a, "pca-samples", 2, 100000000));
    seed_ = std::uint64_t(cli::whole_arg(a, "seed", 0, std::numeric_limits<long long>::max()));
    rgb_ = a.flag("rgb");
    if (rgb_ && components_ != 3) throw UsageError("--rgb needs --components 3, got " + std::to_string(components_));
    pca_from_ = a.value("pca-from");
    refs_ = a.list("ref");
    ref_vector_ = a.value("ref-vector");
    if (!sim && (!refs_.empty() || !ref_vector_.empty())) throw UsageError("--ref and --ref-vector need --mode similarity");
    if (sim && refs_.empty() == ref_vector_.empty())
        throw UsageError(refs_.empty() ? "--mode similarity: give --ref LON,LAT (repeatable) or --ref-vector FILE"
                                       : "--ref and --ref-vector: give one of them, not both");
    for (const auto& r : refs_) {
        const auto v = parse_numbers(r, "--ref", 2, ',');
        if (std::abs(v[1]) > 90.0 || std::abs(v[0]) > 360.0)
            throw UsageError("--ref: " + r + " is not a longitude,latitude in degrees");
    }
    mask_ = a.value("mask");
    probabilities_ = a.flag("probabilities");
    if (probabilities_ && mode_ != "predict") throw UsageError("--probabilities needs --mode predict");

    out_.format = a.given("of") ? a.value("of") : io::raster_driver_for_extension(output_);
    out_.creation_options = a.list("co");
    out_.overwrite = a.flag("overwrite");
    out_.type = io::parse_raster_type(a.value("ot"));
    ot_given_ = a.given("ot");
    if (rgb_) {
        if (a.given("ot") && out_.type != io::RasterType::Byte) throw UsageError("--rgb writes Byte bands: it takes no --ot " + a.value("ot"));
        if (a.given("scale") || a.given("offset")) throw UsageError("--rgb takes no --scale or --offset");
        out_.type = io::RasterType::Byte;
        out_.rgb = true;
        out_.nodata = 0.0;
    }
    if (a.given("nodata")) out_.nodata = parse_number(a.value("nodata"), "--nodata");
    if (a.given("scale")) {
        out_.scale = parse_number(a.value("scale"), "--scale");
        if (*out_.scale == 0.0) throw UsageError("--scale: must not be 0");
    }
    if (a.given("offset")) out_.offset = parse_number(a.value("offset"), "--offset");
    // the output's usage errors now, not after the model and a PCA fit; a
    // classifier's map picks its type later (Byte class indices)
    if (!(mode_ == "predict" && !ot_given_)) io::check_raster_output(out_);

    shard_ = a.given("shard") ? io::parse_shard(a.value("shard")) : io::shard_from_environment();
    output_ = io::shard_output_name(output_, shard_);
    std::error_code ec;
    if (!out_.overwrite && std::filesystem::exists(output_, ec))
        throw DataError(output_ + ": output exists (use --overwrite to replace it)");
}

void RasterizeCommand::sample_grid(const io::RasterGrid& grid, const io::PolygonMask* mask, std::vector<double>& lon,
                                   std::vector<double>& lat) const {
    const io::PixelLocator locator(grid);
    const std::size_t max_draws = pca_samples_ * 20;
    for (std::size_t draw = 0; draw < max_draws && lon.size() < pca_samples_; ++draw) {
        const std::uint64_t h = io::splitmix64(io::splitmix64(seed_) ^ draw);
        const int col = int((h & 0xffffffffULL) % std::uint64_t(grid.width));
        const int row = int((h >> 32) % std::uint64_t(grid.height));
        double x, y;
        unsigned char ok = 0;
        locator.locate(row, col, 1, &x, &y, &ok);
        if (ok && mask) mask->burn(col, row, 1, 1, &ok);
        if (!ok) continue;
        lon.push_back(x);
        lat.push_back(y);
    }
}

std::unique_ptr<BandProduct> RasterizeCommand::make_product(LocationEncoder& encoder, const io::RasterGrid& grid,
                                                            const io::PolygonMask* mask) {
    const std::size_t d = encoder.dim();
    const PredictorSpec* predictor = encoder.predictor();
    if (mode_ == "predict") {
        if (!predictor)
            throw UsageError("--mode predict needs a model trained by geoenc-train; --model " + model_ +
                             " is an embedding model");
        if (probabilities_ && predictor->task == Task::Regression)
            throw UsageError("--probabilities: --model " + model_ + " is a regression model (one value per pixel)");
        if (predictor->task == Task::Classification && !probabilities_) {
            // Class indices: Byte with nodata 255 (0 is a class), Int16 beyond 255 classes.
            if (!ot_given_) out_.type = predictor->labels.size() < 255 ? io::RasterType::Byte : io::RasterType::Int16;
            if (!out_.nodata) out_.nodata = out_.type == io::RasterType::Byte ? 255.0 : -1.0;
        }
        return prediction_bands(*predictor, probabilities_);
    }
    if (mode_ == "embedding") return embedding_bands(parse_band_list(bands_, d), d, bands_);
    if (mode_ == "similarity") {
        std::vector<Reference> refs;
        if (!ref_vector_.empty()) {
            std::vector<double> lon, lat;
            read_points(ref_vector_, "--ref-vector", lon, lat);
            std::vector<double> emb(lon.size() * d);
            encoder.encode(lon.data(), lat.data(), lon.size(), emb.data());
            Reference r{ref_vector_ + " (mean of " + std::to_string(lon.size()) + " features)", std::vector<double>(d, 0.0)};
            for (std::size_t i = 0; i < lon.size(); ++i)
                for (std::size_t k = 0; k < d; ++k) r.embedding[k] += emb[i * d + k] / double(lon.size());
            refs.push_back(std::move(r));
        }
        for (const auto& text : refs_) {
            const auto v = parse_numbers(text, "--ref", 2, ',');
            const double lon = io::wrap_longitude(v[0]), lat = v[1];
            Reference r{text, std::vector<double>(d)};
            encoder.encode(&lon, &lat, 1, r.embedding.data());
            refs.push_back(std::move(r));
        }
        return similarity_bands(std::move(refs));
    }
    // pca
    std::vector<double> lon, lat;
    std::string source;
    if (!pca_from_.empty()) {
        read_points(pca_from_, "--pca-from", lon, lat);
        source = "features of " + pca_from_;
    } else {
        sample_grid(grid, mask, lon, lat);
        source = "pixel centres of the grid, seed " + std::to_string(seed_);
    }
    if (components_ > int(d))
        throw UsageError("--components: " + std::to_string(components_) + " is more than the model's " + std::to_string(d) +
                         " dimensions");
    std::vector<double> emb(lon.size() * d);
    encoder.encode(lon.data(), lat.data(), lon.size(), emb.data());
    PcaFit fit = fit_pca(emb, lon.size(), d, components_);
    fit.source = source;
    std::vector<std::pair<double, double>> stretch;
    if (rgb_) stretch = pca_stretch(fit, emb, lon.size(), 2.0, 98.0);
    return pca_bands(std::move(fit), std::move(stretch));
}

void RasterizeCommand::run() {
    std::unique_ptr<LocationEncoder> encoder = cli::open_model(model_, common(), precision_);
    const io::RasterGrid grid = io::make_grid(grid_request_);

    std::unique_ptr<io::PolygonMask> mask;
    if (!mask_.empty()) mask = std::make_unique<io::PolygonMask>(mask_, io::ReaderOptions{}, grid);
    std::unique_ptr<BandProduct> product = make_product(*encoder, grid, mask.get());
    const std::vector<std::string> names = product->band_names();

    // Shards are bands of whole block rows: window rows of the default block height,
    // or of a BLOCKYSIZE creation option, so shard edges fall on block edges.
    int block_rows = 256;
    for (const auto& co : out_.creation_options)  // GDAL's option names ignore case
        if (co.size() > 11 && strncasecmp(co.c_str(), "BLOCKYSIZE=", 11) == 0)
            block_rows = std::max(1, std::atoi(co.c_str() + 11));
    const int block_row_count = (grid.height + block_rows - 1) / block_rows;
    const int first_block = int(std::int64_t(block_row_count) * shard_.index / shard_.count);
    const int end_block = int(std::int64_t(block_row_count) * (shard_.index + 1) / shard_.count);
    const int row_begin = first_block * block_rows, row_end = std::min(grid.height, end_block * block_rows);
    if (row_end <= row_begin) {
        // More array tasks than block rows: this task has nothing to do, which
        // is no failure of the job (the other shards still mosaic).
        log::warn("--shard " + std::to_string(shard_.index) + "/" + std::to_string(shard_.count) + ": the grid has only " +
                  std::to_string(block_row_count) + " block row(s) of " + std::to_string(block_rows) +
                  ", none left for this shard: no output written");
        return;
    }

    std::unique_ptr<GridEncoder> separable = point_wise_ ? nullptr : encoder->grid_encoder();
    WindowEmbedder embedder(grid, *encoder, separable.get(), mask.get());

    io::RasterWriter writer(output_, grid.rows(row_begin, row_end - row_begin), int(names.size()), out_);
    writer.describe_bands(names);
    std::map<std::string, std::string> meta = encoder->metadata();
    for (const auto& [k, v] : product->metadata()) meta[k] = v;
    meta["GEOENC_PIXEL_VALUES"] = "at pixel centres";
    meta["GEOENC_GRID_EVALUATION"] = embedder.separable() ? "separable (lon/lat rows)" : "point-wise";
    if (!mask_.empty()) meta["GEOENC_MASK"] = mask_;
    if (shard_.active()) meta["GEOENC_SHARD"] = std::to_string(shard_.index) + "/" + std::to_string(shard_.count);
    writer.set_metadata(meta);

    const int ww = writer.window_width();
    const int wh = std::min(writer.window_height(), block_rows);
    if (separable) separable->set_row_cache(std::size_t(wh));
    const io::RasterPacker packer(out_);
    const std::size_t nb = names.size(), d = encoder->dim();
    const std::int64_t windows = std::int64_t((row_end - row_begin + wh - 1) / wh) * ((grid.width + ww - 1) / ww);
    cli::Progress progress(common().show_progress(), "rasterizing", windows);

    WindowWriterThread writer_thread(writer);
    std::vector<double> bands;
    std::vector<unsigned char> valid;
    std::int64_t done = 0;
    for (int row0 = row_begin; row0 < row_end; row0 += wh) {
        const int h = std::min(wh, row_end - row0);
        for (int col0 = 0; col0 < grid.width; col0 += ww) {
            const int w = std::min(ww, grid.width - col0);
            const std::size_t n = std::size_t(w) * std::size_t(h);
            bands.assign(n * nb, 0.0);
            // The separable path keeps no per-pixel buffer: the whole window in one call
            // (one parallel region instead of several). The point-wise path buffers
            // its embeddings, so it goes a bounded number of pixels at a time.
            const int rows_per_call = embedder.separable() ? h : std::max(1, int(kPixelsPerCall / std::size_t(w)));
            for (int r = 0; r < h; r += rows_per_call) {
                const int rh = std::min(rows_per_call, h - r);
                const std::size_t m = std::size_t(w) * std::size_t(rh), at = std::size_t(r) * std::size_t(w);
                // Disjoint pixels per call, so the product runs on the encoder's threads.
                embedder.embed(col0, row0 + r, w, rh, [&](std::size_t first, std::size_t count, const double* emb) {
                    product->apply(emb, count, d, bands.data() + at + first, n);
                }, valid);
                for (std::size_t i = 0; i < m; ++i)
                    if (!valid[i])
                        for (std::size_t b = 0; b < nb; ++b) bands[b * n + at + i] = std::numeric_limits<double>::quiet_NaN();
            }
            PackedWindow pw{col0, row0 - row_begin, w, h, {}};
            packer.pack(bands.data(), bands.size(), pw.bytes);
            writer_thread.push(std::move(pw));
            progress.update(++done);
        }
    }
    writer_thread.finish();
    writer.close();
    progress.finish();
    if (const std::uint64_t n = packer.clamped())
        log::warn(output_ + ": " + std::to_string(n) + " value(s) outside the " + io::to_string(out_.type) +
                  " range were clamped to it; a larger --scale (or --ot Float32) keeps them");
}

}  // namespace geoenc::tools
