#include "train_command.h"

#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <cctype>

#include "cli/model_loader.h"
#include "cli/number_args.h"
#include "cli/progress.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/model_info.h"
#include "core/runtime.h"
#include "train/class_labels.h"

namespace geoenc::tools {

namespace {

// Beyond this a "classification" target is almost surely a measurement.
constexpr std::size_t kMaxClasses = 1000;

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// 90, 2.5: the shortest form, for messages.
std::string short_number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string headline(const PredictorSpec& spec, const Json& scores) {
    if (spec.task == Task::Classification)
        return "accuracy " + fixed(scores["accuracy"].get<double>(), 4) + ", macro-F1 " +
               fixed(scores["macro_f1"].get<double>(), 4);
    return "RMSE " + fixed(scores["rmse"].get<double>(), 6) + ", R2 " + fixed(scores["r2"].get<double>(), 4);
}

template <typename T>
std::vector<T> pick(const std::vector<T>& v, const std::vector<std::size_t>& idx) {
    std::vector<T> out;
    out.reserve(idx.size());
    for (std::size_t i : idx) out.push_back(v[i]);
    return out;
}

// Predictions for, and scores on, the points `idx` of the training data (validation, a CV fold).
std::vector<double> predict_at(train::TrainedModel& model, const LabelledPoints& p, const std::vector<std::size_t>& idx) {
    const auto lon = pick(p.lon, idx), lat = pick(p.lat, idx);
    return model.predict(lon.data(), lat.data(), idx.size());
}

Json score_at(const PredictorSpec& spec, const std::vector<double>& predicted, const train::Targets& t,
              const std::vector<std::size_t>& idx) {
    return score(spec, predicted, t.classes.empty() ? t.classes : pick(t.classes, idx),
                 t.values.empty() ? t.values : pick(t.values, idx));
}

}  // namespace

TrainCommand::TrainCommand()
    : Command("geoenc-train",
              "Fit a location encoder to labelled points (classification or regression), from scratch or as a head "
              "on a pretrained encoder; write it as a .geoenc model and report its scores.") {}

void TrainCommand::declare(cli::ArgTable& t) {
    t.positional({"INPUT", "Labelled points: any OGR vector source (- reads GeoJSONSeq from stdin). With --eval and "
                           "no OUTPUT: the trained .geoenc model to score."});
    t.positional({"OUTPUT", "The trained model, a .geoenc file (written atomically)."});
    const std::string tg = "Target";
    t.add({.name = "target", .kind = cli::ArgKind::Value, .metavar = "FIELD",
           .help = "The field to predict (required for training; scoring defaults to the model's).", .group = tg});
    t.add({.name = "task", .kind = cli::ArgKind::Value, .metavar = "TASK",
           .help = "classification: the field's values are classes (text or numbers); regression: a number, "
                   "standardised for training.",
           .group = tg, .choices = {"classification", "regression"}, .default_value = "classification"});
    t.add({.name = "class-weights", .kind = cli::ArgKind::Value, .metavar = "RULE",
           .help = "balanced weighs each class by n / (classes x its count) in the loss, for imbalanced labels.",
           .group = tg, .choices = {"none", "balanced"}, .default_value = "none"});
    const std::string m = "Model";
    t.add({.name = "pe", .kind = cli::ArgKind::Value, .metavar = "SPEC",
           .help = "Positional encoding to fit from scratch, as geoenc-embed's --model takes it (sh:L=20, "
                   "spherec+:frequencies=16, ...).",
           .group = m, .default_value = "sh:L=10"});
    t.add({.name = "net", .kind = cli::ArgKind::Value, .metavar = "SPEC",
           .help = "Network on the encoding: siren:WIDTHxDEPTH[,w0_initial=30,w0=1] (DEPTH sine layers of WIDTH), "
                   "fcnet:WIDTHxDEPTH (a ReLU layer and DEPTH residual blocks) or linear.",
           .group = m, .default_value = "siren:256x2"});
    t.add({.name = "model", .short_name = 'm', .kind = cli::ArgKind::Value, .metavar = "MODEL",
           .help = "Probe instead: train only --head on this encoder's frozen embeddings (a name such as "
                   "satclip-resnet50-l40, a .pt/.ckpt/.geoenc file or a spec).",
           .group = m, .complete = cli::CompleteAs::File});
    t.add({.name = "head", .kind = cli::ArgKind::Value, .metavar = "HEAD",
           .help = "With --model: linear, or mlp[:WIDTH] (one hidden ReLU layer, width 256 by default).",
           .group = m, .default_value = "linear"});
    const std::string tr = "Training";
    t.add({.name = "epochs", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "Passes over the training points; the cosine learning-rate schedule spans them.", .group = tr,
           .default_value = "100"});
    t.add({.name = "batch-size", .kind = cli::ArgKind::Value, .metavar = "N", .help = "Points per Adam step.",
           .group = tr, .default_value = "512"});
    t.add({.name = "lr", .kind = cli::ArgKind::Value, .metavar = "RATE", .help = "Adam's initial learning rate.",
           .group = tr, .default_value = "0.0001"});
    t.add({.name = "weight-decay", .kind = cli::ArgKind::Value, .metavar = "W",
           .help = "L2 penalty added to the gradients (Adam's weight_decay).", .group = tr, .default_value = "0"});
    t.add({.name = "dropout", .kind = cli::ArgKind::Value, .metavar = "P",
           .help = "Drop each hidden unit with probability P while training (0 to 0.9; the masks come from --seed). "
                   "The SH+SIREN paper's SIREN trains with dropout.",
           .group = tr, .default_value = "0"});
    t.add({.name = "seed", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "Seed of the initialisation, the batch order and the splits: the same seed and --threads give "
                   "the same model, byte for byte.",
           .group = tr, .default_value = "0"});
    t.add({.name = "patience", .kind = cli::ArgKind::Value, .metavar = "N",
           .help = "Stop after N epochs without a better validation loss (the best epoch is kept); 0: never.",
           .group = tr, .default_value = "20"});
    t.add({.name = "val-fraction", .kind = cli::ArgKind::Value, .metavar = "F",
           .help = "Share of INPUT held out at random for validation and early stopping (0: none).", .group = tr,
           .default_value = "0.1"});
    t.add({.name = "val-where", .kind = cli::ArgKind::Value, .metavar = "EXPR",
           .help = "Validate on the features matching this attribute filter (OGR SQL) instead of a random share.",
           .group = tr});
    const std::string e = "Evaluation";
    t.add({.name = "eval", .kind = cli::ArgKind::Value, .metavar = "TEST",
           .help = "Score the model on these labelled points (accuracy, macro-F1, log-loss; or RMSE, MAE, R2). "
                   "--oo, --if, --s_srs, --point and --skip-invalid apply to TEST too.",
           .group = e, .complete = cli::CompleteAs::File});
    t.add({.name = "eval-layer", .kind = cli::ArgKind::Value, .metavar = "NAME",
           .help = "Layer of TEST (--layer applies to INPUT).", .group = e});
    t.add({.name = "eval-where", .kind = cli::ArgKind::Value, .metavar = "EXPR",
           .help = "Attribute filter of TEST (--where applies to INPUT).", .group = e});
    t.add({.name = "cv-blocks", .kind = cli::ArgKind::Value, .metavar = "DEG",
           .help = "Spatial block cross-validation: DEG x DEG degree cells, dealt to --cv-folds folds; each fold is "
                   "predicted by a model trained on the others (early-stopped on a random --val-fraction of them). "
                   "OUTPUT is still fitted on all of INPUT.",
           .group = e});
    t.add({.name = "cv-folds", .kind = cli::ArgKind::Value, .metavar = "K", .help = "Folds of --cv-blocks.",
           .group = e, .default_value = "5"});
    t.add({.name = "overwrite", .help = "Replace an existing OUTPUT.", .group = "Output"});
    VectorInputOptions::declare(t);
}

void TrainCommand::setup(const cli::ParsedArgs& a) {
    const auto& pos = a.positionals();
    eval_ = a.value("eval");
    if (pos.size() == 1 && !eval_.empty()) {
        input_ = pos[0];  // the model to score
        if (a.given("cv-blocks") || a.given("model"))
            throw UsageError("scoring MODEL with --eval alone: --cv-blocks and --model need INPUT and OUTPUT");
        // there is no training input here: its filters would be silently unused
        for (const char* o : {"where", "layer", "val-where"})
            if (a.given(o))
                throw UsageError(std::string("scoring MODEL with --eval alone: --") + o +
                                 " selects training points; filter the test points with --eval-where/--eval-layer");
    } else if (pos.size() != 2) {
        throw UsageError("expected INPUT and OUTPUT (or --eval TEST MODEL to score a trained model), got " +
                         std::to_string(pos.size()) + " argument(s)");
    } else {
        input_ = pos[0];
        output_ = pos[1];
        if (std::filesystem::path(output_).extension() != ".geoenc")
            throw UsageError(output_ + ": OUTPUT must be a .geoenc file");
        overwrite_ = a.flag("overwrite");
        std::error_code ec;
        if (!overwrite_ && std::filesystem::exists(output_, ec))
            throw DataError(output_ + ": output exists (use --overwrite to replace it)");
        if (a.value("target").empty()) throw UsageError("--target FIELD is required: the field to predict");
    }
    // auto: CUDA when this build has a device (byte-identical reruns are promised on the CPU).
    fit_.device = resolve_device(common().device);
    target_ = a.value("target");
    task_ = a.value("task") == "regression" ? Task::Regression : Task::Classification;
    fit_.balanced = a.value("class-weights") == "balanced";
    if (fit_.balanced && task_ == Task::Regression) throw UsageError("--class-weights: only for --task classification");

    fit_.pe = a.value("pe");
    fit_.net = train::parse_net_spec(a.value("net"));
    fit_.base_model = a.value("model");
    fit_.head = train::parse_head_spec(a.value("head"));
    if (!fit_.base_model.empty() && (a.given("pe") || a.given("net")))
        throw UsageError("--model trains a head on a pretrained encoder: --pe and --net are for fitting from scratch");
    if (fit_.base_model.empty() && a.given("head")) throw UsageError("--head needs --model (the encoder to probe)");
    if (fit_.base_model.empty()) {
        // A bad --pe is a usage error before any input is read.
        try {
            if (inspect_model(fit_.pe).kind != "analytic")
                throw UsageError("--pe " + fit_.pe + ": a positional encoding, not a network model (use --model to probe it)");
        } catch (const UsageError& e) {
            const std::string m = e.what();
            throw UsageError(m.rfind("--model", 0) == 0 ? "--pe" + m.substr(7)
                             : m.rfind("--", 0) == 0 ? m
                                                     : "--pe " + m);
        }
    }

    fit_.epochs = int(cli::whole_arg(a, "epochs", 1, 1000000));
    fit_.batch_size = std::size_t(cli::whole_arg(a, "batch-size", 1, 1LL << 30));
    fit_.lr = cli::number_arg(a, "lr", 1e-12, 10);
    fit_.weight_decay = cli::number_arg(a, "weight-decay", 0, 10);
    fit_.dropout = cli::number_arg(a, "dropout", 0, 0.9);
    fit_.seed = std::uint64_t(cli::whole_arg(a, "seed", 0, (1LL << 53)));
    fit_.patience = int(cli::whole_arg(a, "patience", 0, 1000000));
    val_fraction_ = cli::number_arg(a, "val-fraction", 0, 0.9);
    val_where_ = a.value("val-where");
    if (!val_where_.empty() && a.given("val-fraction"))
        throw UsageError("--val-where and --val-fraction choose the validation points two ways: give one");
    if (a.given("cv-blocks") && !val_where_.empty())
        throw UsageError("--cv-blocks draws each fold's validation points at random (--val-fraction); it takes no --val-where");
    if (a.given("cv-blocks")) {
        cv_blocks_ = cli::number_arg(a, "cv-blocks", 1e-6, 360);
        cv_folds_ = int(cli::whole_arg(a, "cv-folds", 2, 1000));
    } else if (a.given("cv-folds")) {
        throw UsageError("--cv-folds needs --cv-blocks DEG");
    }

    VectorInputOptions::read(a);
    if (!val_where_.empty() && input_ == "-")
        throw UsageError("--val-where reads INPUT twice; it cannot come from stdin (use --val-fraction)");
    eval_reader_ = reader;
    eval_reader_.layer = a.value("eval-layer");
    eval_reader_.where = a.value("eval-where");
    eval_reader_.layer_option = "--eval-layer";
    eval_reader_.where_option = "--eval-where";
    eval_reader_.shard = {};
    if (eval_.empty() && (a.given("eval-layer") || a.given("eval-where")))
        throw UsageError("--eval-layer and --eval-where need --eval TEST");
    if (!eval_.empty()) check_stdin_use({input_, eval_});
}

train::Targets TrainCommand::targets_of(const LabelledPoints& p) const {
    train::Targets t;
    t.task = task_;
    t.target = target_;
    if (task_ == Task::Regression) {
        t.values = p.values;
        return t;
    }
    t.labels = train::sorted_labels(p.texts);
    if (t.labels.size() < 2)
        throw DataError(p.where + ": --target " + target_ + ": a classifier needs at least 2 classes, found only '" +
                        t.labels.front() + "'");
    if (t.labels.size() > kMaxClasses)
        throw DataError(p.where + ": --target " + target_ + " has " + std::to_string(t.labels.size()) +
                        " distinct values; for a measurement use --task regression");
    // Each class becomes a prob_<label> column or band: two labels must not share one
    // (GeoPackage and SQLite compare column names without case).
    std::map<std::string, std::string> columns;
    for (const auto& label : t.labels) {
        std::string key = probability_name(label);
        for (auto& c : key) c = char(std::tolower(static_cast<unsigned char>(c)));
        auto [it, fresh] = columns.emplace(key, label);
        if (!fresh)
            throw DataError(p.where + ": --target " + target_ + ": classes '" + it->second + "' and '" + label +
                            "' would both be written as " + probability_name(label) +
                            " (letters, digits and _ are kept, case is ignored); recode one of them");
    }
    t.classes = train::class_indices(p.texts, t.labels);
    return t;
}

train::Split TrainCommand::validation_split(const LabelledPoints& p) const {
    if (val_where_.empty()) return train::random_split(p.size(), val_fraction_, fit_.seed);
    const std::set<std::int64_t> val = matching_fids(input_, reader, val_where_);
    train::Split s;
    for (std::size_t i = 0; i < p.size(); ++i) (val.count(p.fid[i]) ? s.val : s.train).push_back(i);
    if (s.val.empty()) throw DataError(p.where + ": --val-where " + val_where_ + " matches no labelled point");
    return s;
}

TestPoints TrainCommand::read_test(Task task, const std::vector<std::string>& labels, const std::string& field) const {
    TestPoints t{read_labelled_points(eval_, eval_reader_, field, task), {}};
    if (task == Task::Classification) {
        t.classes = train::class_indices(t.points.texts, labels);
        for (std::size_t i = 0; i < t.classes.size(); ++i)
            if (t.classes[i] < 0)
                throw DataError(t.points.where + ": FID " + std::to_string(t.points.fid[i]) + ": --eval: class '" +
                                t.points.texts[i] + "' of '" + field + "' was not in the training labels");
    }
    return t;
}

Json TrainCommand::evaluate(const PredictorSpec& spec, const TestPoints& test, const Predict& predict) const {
    const LabelledPoints& p = test.points;
    Json j = score(spec, predict(p.lon.data(), p.lat.data(), p.size()), test.classes, p.values);
    log::info(p.where + ": " + headline(spec, j) + " on " + std::to_string(p.size()) + " test points");
    return j;
}

void TrainCommand::run_evaluation_only() {
    std::unique_ptr<LocationEncoder> model;
    try {
        model = cli::open_model(input_, common(), Precision::Float32);
    } catch (const UsageError& e) {  // the model here is the MODEL argument, not a --model
        const std::string m = e.what();
        throw UsageError(m.rfind("--model ", 0) == 0 ? "MODEL " + m.substr(8) : m);
    }
    const PredictorSpec* spec = model->predictor();
    if (!spec) throw UsageError(input_ + " is an embedding model, not one trained by geoenc-train");
    Json report = Json::object();
    report["model"] = input_;
    const TestPoints test = read_test(spec->task, spec->labels, target_.empty() ? spec->target : target_);
    report["test"] = evaluate(*spec, test, [&](const double* lon, const double* lat, std::size_t n) {
        std::vector<double> out(n * model->dim());
        model->encode(lon, lat, n, out.data());
        return out;
    });
    std::cout << json_text(report);
}

std::vector<int> TrainCommand::cv_folds(const LabelledPoints& p, std::size_t& blocks) const {
    std::vector<int> fold = train::block_folds(p.lon.data(), p.lat.data(), p.size(), cv_blocks_, cv_folds_,
                                               fit_.seed, &blocks);
    if (blocks < std::size_t(cv_folds_))
        throw DataError(p.where + ": --cv-blocks " + short_number(cv_blocks_) +
                        ": the points fall in " + std::to_string(blocks) + " block(s), fewer than --cv-folds " +
                        std::to_string(cv_folds_) + "; use smaller blocks or fewer folds");
    return fold;
}

Json TrainCommand::cross_validate(const train::Trainer& trainer, const LabelledPoints& p, const train::Targets& t,
                                  const std::vector<int>& fold, std::size_t blocks) {
    const std::size_t outputs = task_ == Task::Classification ? t.labels.size() : 1;
    std::vector<double> oof(p.size() * outputs);
    Json folds = Json::array();
    PredictorSpec spec;
    cli::Progress progress(common().show_progress(), "cv folds", cv_folds_);
    for (int f = 0; f < cv_folds_; ++f) {
        std::vector<std::size_t> held, pool;
        for (std::size_t i = 0; i < p.size(); ++i) (fold[i] == f ? held : pool).push_back(i);
        if (held.empty() || pool.empty()) continue;
        const train::Split split = train::random_split(pool, val_fraction_, fit_.seed + std::uint64_t(f) + 1);
        const auto model = trainer.fit(split);
        spec = model->spec();
        const std::vector<double> pred = predict_at(*model, p, held);
        for (std::size_t k = 0; k < held.size(); ++k)
            std::copy(pred.begin() + std::ptrdiff_t(k * outputs), pred.begin() + std::ptrdiff_t((k + 1) * outputs),
                      oof.begin() + std::ptrdiff_t(held[k] * outputs));
        Json row = Json::object();
        row["fold"] = f;
        row["n_train"] = split.train.size();
        row["best_epoch"] = model->summary().best_epoch;
        row["test"] = score_at(spec, pred, t, held);
        folds.push_back(row);
        progress.update(f + 1);
    }
    progress.finish();
    Json cv = Json::object();
    cv["block_deg"] = cv_blocks_;
    cv["folds"] = cv_folds_;
    cv["blocks"] = blocks;
    cv["pooled"] = score(spec, oof, t.classes, t.values);
    cv["per_fold"] = folds;
    log::info("spatial block CV (" + short_number(cv_blocks_) +
              " degree cells, " + std::to_string(cv_folds_) + " folds): " + headline(spec, cv["pooled"]));
    return cv;
}

void TrainCommand::run() {
    if (output_.empty()) return run_evaluation_only();
    if (!fit_.base_model.empty()) {
        fit_.base_name = fit_.base_model;
        fit_.base_model = cli::resolve_model_with_progress(fit_.base_model, common().show_progress());
    }
    const LabelledPoints points = read_labelled_points(input_, reader, target_, task_);
    const train::Targets targets = targets_of(points);
    const train::Split split = validation_split(points);
    // Problems with TEST or the CV blocks surface before any training time is spent.
    std::optional<TestPoints> test;
    if (!eval_.empty()) test = read_test(task_, targets.labels, target_);
    std::size_t blocks = 0;
    std::vector<int> folds;
    if (cv_blocks_ > 0) folds = cv_folds(points, blocks);
    const train::Trainer trainer(points.lon.data(), points.lat.data(), points.size(), targets, fit_);

    cli::Progress progress(common().show_progress(), "epochs", fit_.epochs);
    const auto model = trainer.fit(split, [&](const train::EpochReport& r) { progress.update(r.epoch); });
    progress.finish();
    const train::FitSummary& fs = model->summary();
    const PredictorSpec& spec = model->spec();

    Json report = Json::object();
    report["model"] = output_;
    report["data"] = std::filesystem::path(input_).filename().string();
    report["data_sha256"] = data_sha256(points, task_);
    report["task"] = to_string(task_);
    report["target"] = target_;
    if (task_ == Task::Classification) report["labels"] = spec.labels;
    report["architecture"] = model->architecture();
    Json opts = Json::object();
    opts["epochs"] = fit_.epochs;
    opts["batch_size"] = fit_.batch_size;
    opts["lr"] = fit_.lr;
    opts["weight_decay"] = fit_.weight_decay;
    if (fit_.dropout > 0) opts["dropout"] = fit_.dropout;
    opts["seed"] = fit_.seed;
    opts["patience"] = fit_.patience;
    opts["class_weights"] = fit_.balanced ? "balanced" : "none";
    opts["validation"] = val_where_.empty() ? "random " + fixed(val_fraction_, 3) : "where " + val_where_;
    opts["threads"] = get_threads();
    if (fit_.device == DeviceKind::Cuda) opts["device"] = "cuda";
    report["options"] = opts;
    report["n_train"] = fs.n_train;
    report["n_val"] = fs.n_val;
    report["epochs_run"] = fs.epochs_run;
    report["best_epoch"] = fs.best_epoch;
    report["stopped_early"] = fs.stopped_early;
    report["train_loss"] = fs.train_loss;
    if (!split.val.empty()) {
        report["best_val_loss"] = fs.best_val_loss;
        report["validation"] = score_at(spec, predict_at(*model, points, split.val), targets, split.val);
        log::info("trained " + std::to_string(fs.epochs_run) + " epochs (best " + std::to_string(fs.best_epoch) +
                  ") in " + fixed(fs.seconds, 1) + " s; validation " + headline(spec, report["validation"]));
    } else {
        log::info("trained " + std::to_string(fs.epochs_run) + " epochs in " + fixed(fs.seconds, 1) + " s");
    }
    if (test)
        report["test"] = evaluate(spec, *test, [&](const double* lon, const double* lat, std::size_t n) {
            return model->predict(lon, lat, n);
        });
    if (cv_blocks_ > 0) report["cv"] = cross_validate(trainer, points, targets, folds, blocks);
    // The stored metadata leaves out file names: the same data from a file or a pipe gives the same model.
    Json training = report;
    training.erase("model");
    training.erase("data");
    model->save(output_, overwrite_, training.dump());
    std::cout << json_text(report);
}

}  // namespace geoenc::tools
