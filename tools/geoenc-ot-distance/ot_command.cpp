#include "ot_command.h"

#include <atomic>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <utility>

#include "cli/model_loader.h"
#include "cli/number_args.h"
#include "cli/progress.h"
#include "core/errors.h"
#include "core/parallel_blocks.h"
#include "core/location_encoder.h"
#include "core/log.h"
#include "ot/masses.h"
#include "io/output_format.h"
#include "plan_writer.h"

namespace geoenc::tools {

namespace {

std::string upper(std::string s) {
    for (auto& c : s) c = char(std::toupper((unsigned char)c));
    return s;
}

CostKind parse_cost(const std::string& t) {
    if (t == "geodesic") return CostKind::Geodesic;
    if (t == "embedding") return CostKind::Embedding;
    if (t == "mix") return CostKind::Mix;
    return CostKind::Haversine;
}

SolverKind parse_solver(const std::string& t) {
    if (t == "exact") return SolverKind::Exact;
    if (t == "divergence") return SolverKind::Divergence;
    return SolverKind::Sinkhorn;
}

// Which two point sets a result is about (the result itself is filled by the caller).
PairReport describe_pair(const Samples& source, const Samples& target) {
    PairReport r;
    r.source = source.label;
    r.target = target.label;
    r.source_layer = source.layer;
    r.target_layer = target.layer;
    r.n_source = source.size();
    r.n_target = target.size();
    r.total_source = source.total();
    r.total_target = target.total();
    return r;
}

}  // namespace

OtCommand::OtCommand()
    : Command("geoenc-ot-distance",
              "Optimal-transport distances between geographic point sets (GeoSpOT): exact, Sinkhorn and Sinkhorn "
              "divergences with geodesic, embedding or mixed costs.") {}

void OtCommand::declare(cli::ArgTable& t) {
    t.positional({"SOURCE", "Any OGR vector source (- reads GeoJSONSeq from stdin): the first point set."});
    t.positional({"TARGET", "The second point set; omit it with --group-by."});
    const std::string in = "Point sets";
    t.add({.name = "weight", .kind = cli::ArgKind::Value, .metavar = "FIELD",
           .help = "Masses from this numeric field (non-negative); default: every feature weighs the same. "
                   "Each side is normalised to sum 1, with a warning when the totals differ.",
           .group = in});
    t.add({.name = "group-by", .kind = cli::ArgKind::Value, .metavar = "FIELD",
           .help = "Split SOURCE by this field and compute the K x K matrix between all groups (no TARGET).",
           .group = in});
    t.add({.name = "target-layer", .kind = cli::ArgKind::Value, .metavar = "NAME",
           .help = "Read this layer of TARGET (--layer applies to SOURCE); default: the first.", .group = in});
    t.add({.name = "target-where", .kind = cli::ArgKind::Value, .metavar = "EXPR",
           .help = "Attribute filter of TARGET (--where applies to SOURCE).", .group = in});
    const std::string c = "Ground cost";
    t.add({.name = "cost", .kind = cli::ArgKind::Value, .metavar = "COST",
           .help = "haversine: great-circle km on a sphere of --radius; geodesic: km on the WGS84 ellipsoid (PROJ, "
                   "Karney); embedding: 1 - cosine similarity of --model embeddings; mix: --lambda * haversine/max + "
                   "(1 - --lambda) * embedding/max, GeoSpOT's combination.",
           .group = c, .choices = {"haversine", "geodesic", "embedding", "mix"}, .default_value = "haversine"});
    t.add({.name = "p", .kind = cli::ArgKind::Value, .metavar = "P",
           .help = "1: W1, the cost as is; 2: W2, the squared cost (distance reports the square root).", .group = c,
           .choices = {"1", "2"}, .default_value = "1"});
    t.add({.name = "radius", .kind = cli::ArgKind::Value, .metavar = "KM", .help = "Sphere radius of the haversine cost.",
           .group = c, .default_value = "6371.0088"});
    t.add({.name = "model", .short_name = 'm', .kind = cli::ArgKind::Value, .metavar = "MODEL",
           .help = "The location encoder of the embedding and mix costs, as in geoenc-embed (e.g. satclip-resnet50-l40, "
                   "a .pt/.ckpt/.geoenc file, sh:L=10).",
           .group = c, .complete = cli::CompleteAs::File});
    t.add({.name = "precision", .kind = cli::ArgKind::Value, .metavar = "TYPE", .help = "Arithmetic of the encoder.",
           .group = c, .choices = {"float32", "float64"}, .default_value = "float32"});
    t.add({.name = "lambda", .kind = cli::ArgKind::Value, .metavar = "L",
           .help = "Weight of the geographic part of --cost mix, from 0 to 1.", .group = c, .default_value = "0.5"});
    t.add({.name = "cost-memory", .kind = cli::ArgKind::Value, .metavar = "MIB",
           .help = "Memory for stored matrices, in mebibytes: a cost matrix that fits is stored (8 bytes an entry), "
                   "and Sinkhorn keeps its kernel in single precision (4 bytes an entry) if the rest allows; both "
                   "make it faster. Larger costs are recomputed on the fly in tiles, with memory O(N + M).",
           .group = c, .default_value = "2048"});
    const std::string s = "Solver";
    t.add({.name = "solver", .kind = cli::ArgKind::Value, .metavar = "NAME",
           .help = "exact: network simplex, the unregularised optimum; sinkhorn: entropic OT, log-domain with "
                   "eps scaling; divergence: the debiased Sinkhorn divergence.",
           .group = s, .choices = {"exact", "sinkhorn", "divergence"}, .default_value = "sinkhorn"});
    t.add({.name = "eps", .kind = cli::ArgKind::Value, .metavar = "EPS",
           .help = "Entropic regularisation: 25km (a distance; haversine and geodesic costs), 0.3 (cost units), "
                   "0.01max or 0.05median (a fraction of the max or median cost of the pair).",
           .group = s, .default_value = "0.01max"});
    t.add({.name = "tol", .kind = cli::ArgKind::Value, .metavar = "TOL",
           .help = "Stop when the L1 error of the plan's marginals is below TOL.", .group = s, .default_value = "1e-9"});
    t.add({.name = "max-iter", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "Most Sinkhorn iterations at the final eps (a warning when reached).", .group = s,
           .default_value = "100000"});
    t.add({.name = "geospot", .help = "The GeoSpOT repository's default exactly: C/max C, reg 0.01, POT's "
                                      "sinkhorn2 iterations (at most 1000, stopThr 1e-8); distance is <P, C/max C>.",
           .group = s});
    const std::string o = "Output";
    t.add({.name = "of", .short_name = 'f', .kind = cli::ArgKind::Value, .metavar = "FORMAT",
           .help = "JSON or CSV results on stdout.", .group = o, .choices = {"JSON", "CSV"}, .default_value = "JSON"});
    t.add({.name = "plan", .kind = cli::ArgKind::Value, .metavar = "FILE",
           .help = "Write the largest flows of the plan as lines (source to target point) with mass and cost to FILE "
                   "(GeoPackage, or the driver of its extension).",
           .group = o, .complete = cli::CompleteAs::File});
    t.add({.name = "plan-flows", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "--plan: at most N flows, largest first; 0 for no limit.", .group = o, .default_value = "1000"});
    t.add({.name = "plan-min-mass", .kind = cli::ArgKind::Value, .metavar = "M",
           .help = "--plan: only flows carrying at least M of the total mass (0 to 1).", .group = o,
           .default_value = "0"});
    t.add({.name = "overwrite", .help = "Replace an existing --plan file.", .group = o});
    VectorInputOptions::declare(t);
}

void OtCommand::setup(const cli::ParsedArgs& a) {
    const auto& pos = a.positionals();
    request_.group_field = a.value("group-by");
    request_.weight_field = a.value("weight");
    const bool grouped = !request_.group_field.empty();
    if (grouped && pos.size() != 1)
        throw UsageError("--group-by: expected SOURCE only (the groups are its features), got " +
                         std::to_string(pos.size()) + " argument(s)");
    if (!grouped && pos.size() != 2)
        throw UsageError("expected SOURCE and TARGET (or SOURCE --group-by FIELD), got " + std::to_string(pos.size()) +
                         " argument(s)");
    source_ = pos[0];
    if (!grouped) target_ = pos[1];
    check_stdin_use(pos);

    ProblemSettings& ps = params_.settings;
    ps.cost = parse_cost(a.value("cost"));
    ps.p = a.value("p") == "2" ? 2 : 1;
    ps.radius_km = cli::number_arg(a, "radius", 1e-9, 1e12);
    ps.lambda = cli::number_arg(a, "lambda", 0, 1);
    if (a.given("lambda") && ps.cost != CostKind::Mix) throw UsageError("--lambda needs --cost mix");
    params_.model = a.value("model");
    const bool needs_model = ps.cost == CostKind::Embedding || ps.cost == CostKind::Mix;
    if (needs_model && params_.model.empty())
        throw UsageError("--cost " + cost_name(ps.cost) + ": needs --model, e.g. --model satclip-resnet50-l40");
    if (!needs_model && !params_.model.empty())
        throw UsageError("--model: only used by --cost embedding or mix (the cost is " + cost_name(ps.cost) + ")");
    precision_ = parse_precision(a.value("precision"));
    ps.cost_memory = std::size_t(cli::whole_arg(a, "cost-memory", 0, 1LL << 30)) << 20;

    ps.solver = parse_solver(a.value("solver"));
    if (a.flag("geospot")) {
        if (a.given("solver") || a.given("eps") || a.given("tol") || a.given("max-iter"))
            throw UsageError("--geospot fixes the solver, eps, tolerance and iterations: drop --solver/--eps/--tol/--max-iter");
        ps.solver = SolverKind::GeoSpot;
    }
    if (ps.solver == SolverKind::Exact && (a.given("eps") || a.given("tol") || a.given("max-iter")))
        throw UsageError("--solver exact has no --eps, --tol or --max-iter");
    ps.eps = parse_eps(a.value("eps"));
    if (ps.eps.kind == EpsRule::Kind::Km && needs_model)
        throw UsageError("--eps " + ps.eps.text + ": a distance in km needs a haversine or geodesic cost; give a "
                         "number in cost units or a fraction (0.01max)");
    ps.tol = cli::number_arg(a, "tol", 1e-300, 1);
    ps.max_iter = int(cli::whole_arg(a, "max-iter", 1, 1000000000));
    ps.threads = common().threads;

    csv_ = upper(a.value("of")) == "CSV";
    plan_ = a.value("plan");
    ps.want_flows = !plan_.empty();
    ps.flows.max_flows = std::size_t(cli::whole_arg(a, "plan-flows", 0, 1LL << 40));
    ps.flows.min_mass = cli::number_arg(a, "plan-min-mass", 0, 1);
    if (!ps.want_flows && (a.given("plan-flows") || a.given("plan-min-mass")))
        throw UsageError("--plan-flows and --plan-min-mass need --plan FILE");
    if (grouped && ps.want_flows) throw UsageError("--plan needs SOURCE and TARGET; it is not available with --group-by");
    plan_writer_.overwrite = a.flag("overwrite");
    if (ps.want_flows) {
        if (plan_ == "-") throw UsageError("--plan: stdout carries the distances; give a file name");
        std::error_code ec;
        if (!plan_writer_.overwrite && std::filesystem::exists(plan_, ec))
            throw DataError(plan_ + ": output exists (use --overwrite to replace it)");
        if (plan_ == source_ || plan_ == target_) throw UsageError("--plan: " + plan_ + " is an input");
        // -f is the stdout format here: the plan's driver comes from its extension alone
        try {
            io::choose_vector_output(plan_, "");
        } catch (const UsageError&) {
            throw UsageError("--plan " + plan_ + ": cannot tell the format from the extension " +
                             std::filesystem::path(plan_).extension().string() +
                             "; name the file .gpkg, .shp, .geojson, .fgb, ... (GeoPackage without an extension)");
        }
    }

    VectorInputOptions::read(a);
    target_reader_ = reader;
    target_reader_.layer = a.value("target-layer");
    target_reader_.where = a.value("target-where");
    target_reader_.layer_option = "--target-layer";
    target_reader_.where_option = "--target-where";
    // --if is for the input on stdin (CSV cannot be recognised there); a file
    // beside it keeps GDAL's own detection
    if (!reader.input_format.empty() && !grouped && (source_ == "-") != (target_ == "-")) {
        if (source_ == "-") target_reader_.input_format.clear();
        else reader.input_format.clear();
    }
    if (grouped && (a.given("target-layer") || a.given("target-where")))
        throw UsageError("--target-layer and --target-where need a TARGET (not --group-by)");
}

void OtCommand::embed(std::map<std::string, Samples>& sets) const {
    const ProblemSettings& ps = params_.settings;
    if (ps.cost != CostKind::Embedding && ps.cost != CostKind::Mix) return;
    const std::unique_ptr<LocationEncoder> encoder = cli::open_model(params_.model, common(), precision_);
    for (auto& [key, s] : sets) {
        s.embedding.resize(s.size() * encoder->dim());
        encoder->encode(s.lon.data(), s.lat.data(), s.size(), s.embedding.data());
    }
}

void OtCommand::run_pair(Samples& source, Samples& target) {
    if (!request_.weight_field.empty() && ot::totals_differ(source.mass, target.mass, 1e-9))
        log::warn("the masses differ in total (" + source.name + ": " + std::to_string(source.total()) + ", " +
                  target.name + ": " + std::to_string(target.total()) + "); both are normalised to sum 1");
    PairReport r = describe_pair(source, target);
    r.result = solve_pair(source, target, params_.settings);
    if (!r.result.converged)
        log::warn("not converged: marginal error " + std::to_string(r.result.marginal_error) + " after " +
                  std::to_string(r.result.iterations) + " iterations (raise --max-iter, or --tol)");
    if (!plan_.empty())
        write_plan(plan_, plan_writer_, source, target, r.result.flows, cost_units(params_.settings));
    if (csv_) write_pair_csv(std::cout, r, params_);
    else write_pair_json(std::cout, r, params_);
}

void OtCommand::run_groups(std::map<std::string, Samples>& groups, const std::string& where) {
    if (groups.size() < 2)
        throw DataError(where + ": --group-by " + request_.group_field + " found " + std::to_string(groups.size()) +
                        " group; a matrix needs at least 2");
    std::vector<std::string> names;
    std::vector<Samples*> sets;
    for (auto& [key, s] : groups) {
        names.push_back(key);
        sets.push_back(&s);
    }
    const std::size_t k = names.size();
    if (!request_.weight_field.empty()) {
        // as for two inputs: say so when the groups' totals differ
        const Samples* lo = sets[0];
        const Samples* hi = sets[0];
        for (const Samples* g : sets) {
            if (g->total() < lo->total()) lo = g;
            if (g->total() > hi->total()) hi = g;
        }
        if (ot::totals_differ(lo->mass, hi->mass, 1e-9))
            log::warn("the groups' masses differ in total (" + lo->name + ": " + std::to_string(lo->total()) + " to " +
                      hi->name + ": " + std::to_string(hi->total()) + "); each is normalised to sum 1");
    }
    std::vector<PairReport> pairs(k * k);
    const bool zero_diagonal = params_.settings.solver != SolverKind::Sinkhorn && params_.settings.solver != SolverKind::GeoSpot;
    // The costs are symmetric, so OT(j, i) = OT(i, j): each unordered pair is solved once.
    std::vector<std::pair<std::size_t, std::size_t>> todo;
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = i; j < k; ++j) todo.emplace_back(i, j);

    // Many small pairs run one per thread, each solved on one thread: a pass over
    // a few hundred points is too short to share, and a solve gives the same bits
    // on any number of threads, so the matrix is the same either way. Pairs run
    // one at a time, on every thread, when what one pair stores (pair_memory)
    // times the threads would pass --cost-memory (what a pair stores never
    // depends on --threads).
    // (pair_memory is not monotone in the sizes: a pair too large to store
    // anything holds 0 bytes, a smaller one up to the whole budget; so every pair counts.)
    const int threads = resolve_threads(params_.settings.threads);
    std::size_t most = 0;
    for (const auto& [i, j] : todo) most = std::max(most, pair_memory(sets[i]->size(), sets[j]->size(), params_.settings));
    const bool across = threads > 1 && todo.size() > 1 && double(most) * threads <= double(params_.settings.cost_memory);
    ProblemSettings settings = params_.settings;
    if (across) settings.threads = 1;

    cli::Progress progress(common().show_progress(), "pairs", std::int64_t(todo.size()));
    std::mutex progress_mutex;
    std::int64_t done = 0;
    // A failing pair stops the pairs after it; the first failure in pair order is
    // reported, as a sequential run would, whatever the scheduling.
    std::vector<std::exception_ptr> errors(todo.size());
    std::atomic<std::size_t> first_error{todo.size()};
    parallel_blocks(std::int64_t(todo.size()), 1, across ? threads : 1, [&](std::int64_t t, std::int64_t, std::int64_t, int) {
        if (std::size_t(t) > first_error) return;
        const auto [i, j] = todo[std::size_t(t)];
        try {
            PairReport& r = pairs[i * k + j];
            r = describe_pair(*sets[i], *sets[j]);
            if (i == j && zero_diagonal) r.result = identical_pair(*sets[i], settings);
            else r.result = solve_pair(*sets[i], *sets[j], settings);
            if (i != j) {
                PairReport& mirror = pairs[j * k + i];
                mirror = describe_pair(*sets[j], *sets[i]);
                mirror.result = r.result;
            }
        } catch (...) {
            errors[std::size_t(t)] = std::current_exception();
            for (std::size_t seen = first_error; std::size_t(t) < seen && !first_error.compare_exchange_weak(seen, std::size_t(t));) {
            }
            return;
        }
        std::lock_guard<std::mutex> lock(progress_mutex);
        progress.update(++done);
    });
    // Warnings after the solves, in pair order (up to a failure), so stderr does not depend on scheduling.
    for (std::size_t t = 0; t < std::min(first_error.load(), todo.size()); ++t) {
        const auto [i, j] = todo[t];
        if (!pairs[i * k + j].result.converged)
            log::warn(sets[i]->name + " to " + sets[j]->name + ": not converged (raise --max-iter)");
    }
    if (first_error < todo.size()) std::rethrow_exception(errors[first_error]);
    progress.finish();
    if (csv_) write_matrix_csv(std::cout, names, pairs);
    else write_matrix_json(std::cout, request_.group_field, names, pairs, params_);
}

void OtCommand::run() {
    std::string where;
    auto sources = read_samples(source_, reader, request_, where);
    embed(sources);
    if (!request_.group_field.empty()) run_groups(sources, where);
    else {
        SampleRequest treq = request_;
        std::string twhere;
        auto targets = read_samples(target_, target_reader_, treq, twhere);
        embed(targets);
        run_pair(sources.begin()->second, targets.begin()->second);
    }
    std::cout.flush();
    if (!std::cout) throw DataError("cannot write to stdout");
}

}  // namespace geoenc::tools
