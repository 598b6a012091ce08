#include "moran_command.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/number_args.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/runtime.h"
#include "io/raster_band.h"
#include "io/vector_reader.h"
#include "io/vector_writer.h"
#include "moran_report.h"
#include "stats/weights_transform.h"
#include "variables.h"

namespace geoenc::tools {

namespace {

// A constant field has no Moran's I (esda gives NaN). Among several fields, as
// with --fields-like emb_ where emb_000 of spherical harmonics is constant, it
// is skipped with a warning instead of failing the whole run.
bool skip_constant(const std::string& field, const std::vector<double>& y) {
    for (double v : y)
        if (v != y.front()) return false;
    log::warn("field '" + field + "' is constant: Moran's I is undefined; skipped");
    return true;
}

bool is_areal(OGRwkbGeometryType t) {
    t = wkbFlatten(t);
    return OGR_GT_IsSubClassOf(t, wkbCurvePolygon) || OGR_GT_IsSubClassOf(t, wkbMultiSurface);
}

std::string upper(std::string s) {
    for (auto& c : s) c = char(std::toupper((unsigned char)c));
    return s;
}

}  // namespace

MoranCommand::MoranCommand()
    : Command("geoenc-moran", "Global and local Moran's I (PySAL/esda statistics) of fields of a vector layer, "
                              "or the multi-resolution local Moran of a raster band.") {}

void MoranCommand::declare(cli::ArgTable& t) {
    t.positional({"INPUT", "Any OGR vector source (- reads GeoJSONSeq from stdin); with --mode multires, a GDAL raster."});
    t.positional({"OUTPUT", "--mode local: the output dataset (- writes GeoJSONSeq to stdout); --mode multires: a GeoTIFF. "
                            "Not used by --mode global, which prints to stdout."});
    const std::string v = "Variables";
    t.add({.name = "field", .kind = cli::ArgKind::List, .metavar = "NAME",
           .help = "A numeric field to analyse; repeat for more (one result per field).", .group = v});
    t.add({.name = "fields-like", .kind = cli::ArgKind::Value, .metavar = "PREFIX",
           .help = "Analyse every field whose name starts with PREFIX, e.g. emb_ for geoenc-embed's columns.", .group = v});
    t.add({.name = "bivariate", .kind = cli::ArgKind::Value, .metavar = "X,Y",
           .help = "Bivariate Moran's I of field X with the spatial lag of field Y.", .group = v});
    const std::string w = "Spatial weights";
    t.add({.name = "weights", .short_name = 'w', .kind = cli::ArgKind::Value, .metavar = "SPEC",
           .help = "knn:K, distance:D[,alpha=A] (km on the sphere, layer units when planar; binary, or d^A), "
                   "kernel:NAME:K[,fixed][,bandwidth=B] "
                   "(triangular, uniform, quadratic, quartic, gaussian), queen or rook (polygons). "
                   "Default: queen for polygons, knn:8 otherwise.",
           .group = w});
    t.add({.name = "weights-file", .kind = cli::ArgKind::Value, .metavar = "FILE",
           .help = "Read the weights from a GeoDa/PySAL .gal or .gwt file instead of building them.", .group = w,
           .complete = cli::CompleteAs::File});
    t.add({.name = "save-weights", .kind = cli::ArgKind::Value, .metavar = "FILE",
           .help = "Also write the (untransformed) weights to a .gal or .gwt file.", .group = w,
           .complete = cli::CompleteAs::File});
    t.add({.name = "metric", .kind = cli::ArgKind::Value, .metavar = "M",
           .help = "Distances of knn, distance and kernel weights. sphere: great-circle km between the lon/lat points; "
                   "planar: Euclidean, in layer units, between the points (--point) in the source CRS; "
                   "auto: planar when the source CRS (or --s_srs) is projected, else sphere.",
           .group = w, .choices = {"auto", "sphere", "planar"}, .default_value = "auto"});
    t.add({.name = "transform", .kind = cli::ArgKind::Value, .metavar = "T",
           .help = "r: row-standardised; b: binary (every neighbour weighs 1); v: variance-stabilising; "
                   "o: the original weights (kernel, inverse-distance or .gwt values).", .group = w,
           .choices = {"r", "b", "v", "o"}, .default_value = "r"});
    t.add({.name = "id", .kind = cli::ArgKind::Value, .metavar = "FIELD",
           .help = "Field naming the observations in weights files; default: 1-based feature order.", .group = w});
    t.add({.name = "snap", .kind = cli::ArgKind::Value, .metavar = "TOL",
           .help = "queen/rook: vertices closer than TOL (layer units) count as shared.", .group = w,
           .default_value = "0"});
    const std::string s = "Statistics";
    t.add({.name = "mode", .kind = cli::ArgKind::Value, .metavar = "MODE",
           .help = "global: one result per variable on stdout; local: LISA fields on every feature; "
                   "multires: SXL multi-resolution local Moran of a raster band.",
           .group = s, .choices = {"global", "local", "multires"}, .default_value = "global"});
    t.add({.name = "band", .kind = cli::ArgKind::Value, .metavar = "N", .help = "--mode multires: the raster band.",
           .group = s, .default_value = "1"});
    t.add({.name = "permutations", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "Random permutations for p_sim; 0 skips them.", .group = s, .default_value = "999"});
    t.add({.name = "seed", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "Seed of the permutations; the same seed gives the same p_sim at any thread count.", .group = s,
           .default_value = "0"});
    t.add({.name = "alpha", .kind = cli::ArgKind::Value, .metavar = "A",
           .help = "--mode local: significance level of the cluster labels.", .group = s, .default_value = "0.05"});
    t.add({.name = "adjust", .kind = cli::ArgKind::Value, .metavar = "HOW",
           .help = "--mode local: multiple-testing adjustment of the labels.", .group = s,
           .choices = {"none", "fdr", "bonferroni"}, .default_value = "none"});
    t.add({.name = "two-sided", .help = "--mode local: two-sided p_sim instead of esda's directed (folded) default.",
           .group = s});
    t.add({.name = "geary", .help = "--mode global: add Geary's C and its p-values.", .group = s});
    VectorInputOptions::declare(t);
    VectorOutputOptions::declare(t);
}

void MoranCommand::setup(const cli::ParsedArgs& a) {
    const std::string mode = a.value("mode");
    mode_ = mode == "local" ? Mode::Local : mode == "multires" ? Mode::Multires : Mode::Global;
    const auto& pos = a.positionals();
    const std::size_t want = mode_ == Mode::Global ? 1 : 2;
    if (pos.size() != want)
        throw UsageError(mode_ == Mode::Global
                             ? "--mode global: expected INPUT only (results go to stdout), got " + std::to_string(pos.size()) + " argument(s)"
                             : "--mode " + mode + ": expected INPUT and OUTPUT, got " + std::to_string(pos.size()) + " argument(s)");
    input_ = pos[0];
    if (pos.size() > 1) output_ = pos[1];
    if (!output_.empty() && input_ != "-" && input_ == output_) throw UsageError("INPUT and OUTPUT are the same file: " + input_);

    fields_ = a.list("field");
    fields_like_ = a.value("fields-like");
    if (a.given("bivariate")) {
        const std::string xy = a.value("bivariate");
        const auto comma = xy.find(',');
        if (comma == std::string::npos || comma == 0 || comma + 1 == xy.size() || xy.find(',', comma + 1) != std::string::npos)
            throw UsageError("--bivariate: expected X,Y (two field names), got '" + xy + "'");
        bivariate_x_ = xy.substr(0, comma);
        bivariate_y_ = xy.substr(comma + 1);
        if (!fields_.empty() || !fields_like_.empty()) throw UsageError("--bivariate cannot be combined with --field or --fields-like");
    }
    if (mode_ != Mode::Multires && fields_.empty() && fields_like_.empty() && bivariate_x_.empty())
        throw UsageError("no variable: give --field NAME, --fields-like PREFIX or --bivariate X,Y");
    if (mode_ == Mode::Multires && (!fields_.empty() || !fields_like_.empty() || !bivariate_x_.empty()))
        throw UsageError("--mode multires reads a raster band (--band N), not --field/--fields-like/--bivariate");

    if (a.given("weights") && a.given("weights-file")) throw UsageError("--weights and --weights-file exclude each other");
    weights_.spec = parse_weights_spec(a.value("weights"));
    weights_.file = a.value("weights-file");
    if (!weights_.file.empty())
        if (auto p = weights_file_problem(weights_.file); !p.empty()) throw UsageError("--weights-file " + p);
    save_weights_ = a.value("save-weights");
    if (!save_weights_.empty())
        if (auto p = weights_file_problem(save_weights_); !p.empty()) throw UsageError("--save-weights " + p);
    weights_.snap = cli::number_arg(a, "snap", 0, 1e300);
    weights_.threads = common().threads;
    metric_ = a.value("metric");
    id_field_ = a.value("id");
    weights_.ids_from_field = !id_field_.empty();
    transform_ = a.value("transform");

    tests_.permutations = int(cli::whole_arg(a, "permutations", 0, 1000000));
    tests_.seed = std::uint64_t(cli::whole_arg(a, "seed", 0, 9007199254740992LL));
    tests_.alpha = cli::number_arg(a, "alpha", 0, 1);
    tests_.adjust = a.value("adjust");
    tests_.two_sided = a.flag("two-sided");
    tests_.geary = a.flag("geary");
    tests_.threads = common().threads;
    // Only an explicit --device cuda moves the local permutations to the GPU: its
    // engine draws other random numbers, so auto keeps a machine's p-values
    // those of the CPU engine whether or not it has a GPU.
    tests_.cuda = common().device == DeviceKind::Cuda && resolve_device(DeviceKind::Cuda) == DeviceKind::Cuda;
    band_ = int(cli::whole_arg(a, "band", 1, 100000));

    VectorInputOptions::read(a);
    VectorOutputOptions::read(a);
    if (mode_ == Mode::Global) {
        // -f picks the format of the results on stdout.
        const std::string f = upper(writer.format);
        if (!f.empty() && f != "JSON" && f != "CSV")
            throw UsageError("--mode global prints JSON or CSV: -f " + writer.format + " is not one of them");
        csv_ = f == "CSV";
    } else if (mode_ == Mode::Local) {
        check_output(output_);
    } else {
        std::error_code ec;
        if (output_ == "-") throw UsageError("--mode multires writes a GeoTIFF file, not stdout");
        if (!writer.overwrite && std::filesystem::exists(output_, ec))
            throw DataError(output_ + ": output exists (use --overwrite to replace it)");
    }
}

void MoranCommand::run_multires() {
    const io::RasterBand in = io::read_raster_band(input_, band_);
    const std::vector<std::vector<double>> maps = multires_moran(in.values, in.height, in.width);
    io::write_float32_geotiff(output_, in, {maps[0].data(), maps[1].data(), maps[2].data()},
                              {"mi_full", "mi_half", "mi_quarter"}, writer.overwrite);
}

void MoranCommand::run() {
    if (mode_ == Mode::Multires) return run_multires();

    io::VectorReader source(input_, reader);
    const OGRFeatureDefn& defn = *source.layer().GetLayerDefn();
    std::vector<std::string> fields = bivariate_x_.empty() ? fields_ : std::vector<std::string>{bivariate_x_, bivariate_y_};
    fields = resolve_fields(defn, fields, fields_like_, source.where_text());
    if (!id_field_.empty()) resolve_fields(defn, {id_field_}, "", source.where_text());

    // Every feature at once: the weights need all of them.
    io::FeatureBatch all, batch;
    while (source.next(batch, 65536))
        for (std::size_t i = 0; i < batch.size(); ++i) {
            all.features.push_back(std::move(batch.features[i]));
            all.lon.push_back(batch.lon[i]);
            all.lat.push_back(batch.lat[i]);
        }
    // Ids before any feature is dropped, so a weights file still matches by position.
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < all.size(); ++i)
        ids.push_back(id_field_.empty() ? std::to_string(i + 1) : all.features[i]->GetFieldAsString(id_field_.c_str()));
    const std::int64_t read = std::int64_t(all.size());
    std::int64_t dropped = 0;
    std::vector<std::string> kept_ids;
    std::vector<std::vector<double>> values;
    {
        // read_values drops features; keep the ids of the survivors in step.
        std::vector<OGRFeature*> before;
        for (auto& f : all.features) before.push_back(f.get());
        values = read_values(all, fields, reader.skip_invalid, source.where_text(), dropped);
        std::size_t j = 0;
        for (std::size_t i = 0; i < before.size() && j < all.size(); ++i)
            if (before[i] == all.features[j].get()) {
                kept_ids.push_back(ids[i]);
                ++j;
            }
    }
    if (source.skipped() > 0)
        log::warn(source.where_text() + ": skipped " + std::to_string(source.skipped()) +
                  " feature(s) with null, empty or out-of-range geometry (--skip-invalid)");
    if (dropped > 0)
        log::warn(source.where_text() + ": dropped " + std::to_string(dropped) + " of " + std::to_string(read) +
                  " feature(s) with a null or non-numeric value (--skip-invalid)");
    if (all.size() < 3) throw DataError(source.where_text() + ": Moran's I needs at least 3 features, got " + std::to_string(all.size()));
    // Without --id a weights file's observations are the layer's records in
    // order (GeoDa's numbering): a feature left out before this point would
    // shift every later one.
    if (!weights_.file.empty() && id_field_.empty() && (source.skipped() > 0 || !reader.where.empty()))
        throw DataError(weights_.file + ": its observations are matched to the features by position, but " +
                        (source.skipped() > 0 ? std::to_string(source.skipped()) + " feature(s) were skipped"
                                              : std::string("--where selected a subset")) +
                        "; give --id FIELD to match them by id");

    weights_.point = reader.point;
    weights_.planar = metric_ == "planar" || (metric_ == "auto" && source.source_srs().IsProjected());
    std::string description;
    const stats::SpatialWeights original =
        build_weights(weights_, all, kept_ids, is_areal(defn.GetGeomType()), description);
    if (!save_weights_.empty()) save_weights(save_weights_, original, source.layer().GetName(), id_field_);
    const stats::SpatialWeights w = stats::transform_weights(original, transform_);

    WeightsSummary summary{description, transform_, std::int64_t(w.islands().size()), w.components()};
    if (summary.islands > 0)
        log::warn(description + ": " + std::to_string(summary.islands) + " island(s) (observations without neighbours); "
                  "their spatial lag is 0, as in esda");
    if (summary.components > 1)
        log::warn(description + ": the weights graph has " + std::to_string(summary.components) + " disconnected components");

    if (mode_ == Mode::Global) {
        std::vector<GlobalResult> results;
        if (!bivariate_x_.empty())
            results.push_back(global_bivariate(bivariate_x_ + "," + bivariate_y_, values[0], values[1], w, tests_));
        else
            for (std::size_t v = 0; v < fields.size(); ++v)
                if (!skip_constant(fields[v], values[v])) results.push_back(global_moran(fields[v], values[v], w, tests_));
        if (results.empty()) throw DataError("every field is constant: Moran's I is undefined");
        if (csv_) write_csv(std::cout, results, summary);
        else write_json(std::cout, results, summary);
        std::cout.flush();
        if (!std::cout) throw DataError("cannot write to stdout");
        return;
    }

    // --mode local: four REAL columns per variable, then the cluster labels.
    std::vector<std::string> names;
    std::vector<LocalResult> locals;
    if (!bivariate_x_.empty()) {
        names.push_back(bivariate_x_ + "_" + bivariate_y_);
        locals.push_back(local_bivariate(values[0], values[1], w, tests_));
    } else {
        for (std::size_t v = 0; v < fields.size(); ++v) {
            if (skip_constant(fields[v], values[v])) continue;
            names.push_back(fields[v]);
            locals.push_back(local_moran(values[v], w, tests_));
        }
        if (names.empty()) throw DataError("every field is constant: local Moran's I is undefined");
    }
    io::AppendedValues appended;
    for (const auto& n : names) {
        for (const char* suffix : {"_Is", "_q", "_p_sim", "_z_sim"}) appended.names.push_back(n + suffix);
        appended.text_names.push_back(n + "_cluster");
    }
    appended.dim = appended.names.size();
    const std::size_t n = all.size();
    std::vector<double> table(n * appended.dim);
    std::vector<std::string> labels(n * names.size());
    for (std::size_t v = 0; v < names.size(); ++v)
        for (std::size_t i = 0; i < n; ++i) {
            double* row = &table[i * appended.dim + 4 * v];
            row[0] = locals[v].Is[i];
            row[1] = locals[v].q[i];
            row[2] = locals[v].p_sim[i];
            row[3] = locals[v].z_sim[i];
            labels[i * names.size() + v] = locals[v].cluster[i];
        }
    writer.promote_to_multi = source.single_type_covers_multi();
    io::VectorWriter sink(output_, writer, defn, source.source_srs(), appended);
    sink.set_metadata({{"GEOENC_MORAN", "local Moran's I, weights " + description + ", transform " + transform_ +
                                            ", permutations " + std::to_string(tests_.permutations) + ", seed " +
                                            std::to_string(tests_.seed)}});
    sink.write(all, table.data(), labels.data());
    sink.close();
}

}  // namespace geoenc::tools
