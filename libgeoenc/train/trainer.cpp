#include "train/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/optim/adam.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/blas_runtime.h"
#include "core/errors.h"
#include "core/location_encoder.h"
#include "core/model_file.h"
#include "core/model_spec.h"
#include "core/pipeline_encoder.h"
#include "core/positional_encoding.h"
#include "core/runtime.h"
#include "train/trainable_network.h"

namespace geoenc::train {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The encoders' messages name --model; here the spec came from `option`.
UsageError for_option(const UsageError& e, const std::string& option) {
    const std::string m = e.what();
    if (m.rfind("--model", 0) == 0) return UsageError(option + m.substr(7));
    return UsageError(option + " " + m);
}

// A model's encoder on the CPU in float32 (head: a trained model's output stage,
// or null for the features of an embedding model).
std::unique_ptr<LocationEncoder> cpu_encoder(const LoadedModel& m, std::shared_ptr<const PredictionHead> head) {
    return make_pipeline_encoder(make_positional_encoding(parse_model_spec(m.config.positional_encoding)), m.network,
                                 {}, {DeviceKind::Cpu, Precision::Float32}, std::move(head));
}

at::Tensor index_tensor(const std::vector<std::size_t>& idx) {
    at::Tensor t = at::empty({int64_t(idx.size())}, at::kLong);
    auto* p = t.data_ptr<int64_t>();
    for (std::size_t i = 0; i < idx.size(); ++i) p[i] = int64_t(idx[i]);
    return t;
}

class TrainedModelImpl final : public TrainedModel {
public:
    TrainedModelImpl(LoadedModel m, FitSummary s, std::string architecture)
        : m_(std::move(m)), summary_(s), architecture_(std::move(architecture)) {}

    const PredictorSpec& spec() const override { return *m_.config.predictor; }
    const FitSummary& summary() const override { return summary_; }
    std::string architecture() const override { return architecture_; }

    std::vector<double> predict(const double* lon, const double* lat, std::size_t n) override {
        if (!encoder_) encoder_ = cpu_encoder(m_, make_prediction_head(m_));
        std::vector<double> out(n * encoder_->dim());
        encoder_->encode(lon, lat, n, out.data());
        return out;
    }

    void save(const std::string& path, bool overwrite, const std::string& training_json) override {
        ModelFileConfig c = m_.config;
        c.predictor->training = training_json;
        c.created_by = "geoenc " + geoenc_version();
        save_model_file(path, c, m_.network ? &*m_.network : nullptr, overwrite, m_.head ? &*m_.head : nullptr);
    }

private:
    LoadedModel m_;
    FitSummary summary_;
    std::string architecture_;
    std::unique_ptr<LocationEncoder> encoder_;
};

}  // namespace

struct Trainer::Impl {
    Targets targets;
    FitOptions options;
    at::Tensor inputs;  // n x d float32: the positional encoding or the frozen embeddings
    LoadedModel base;   // what the trained part sits on: the encoding alone, or the pretrained model
    std::size_t outputs() const {
        return targets.task == Task::Classification ? targets.labels.size() : 1;
    }
};

Trainer::Trainer(const double* lon, const double* lat, std::size_t n, Targets targets, FitOptions options)
    : impl_(std::make_unique<Impl>()) {
    Impl& s = *impl_;
    s.targets = std::move(targets);
    s.options = std::move(options);
    const FitOptions& o = s.options;
    if (s.targets.task == Task::Classification && s.targets.labels.size() < 2)
        throw DataError("--target " + s.targets.target + ": a classifier needs at least 2 classes, found " +
                        std::to_string(s.targets.labels.size()));
    if (o.base_model.empty()) {
        std::unique_ptr<PositionalEncoding> pe;
        try {
            pe = make_positional_encoding(parse_model_spec(o.pe));
        } catch (const UsageError& e) {
            throw for_option(e, "--pe");
        }
        s.base.kind = "analytic";
        s.base.config.positional_encoding = pe->name();
        s.base.config.dim = pe->dim();
        s.inputs = at::empty({int64_t(n), pe->dim()}, at::kFloat);
        if (n) pe->encode_cpu_accurate_f32(lon, lat, n, s.inputs.data_ptr<float>());
    } else {
        try {
            s.base = load_model(o.base_model);
        } catch (const UsageError& e) {
            throw for_option(e, "--model");
        }
        if (s.base.config.predictor)
            throw UsageError("--model " + o.base_model + " is a trained model (" + to_string(s.base.config.predictor->task) +
                             " of '" + s.base.config.predictor->target + "'); probe an embedding model");
        const auto encoder = cpu_encoder(s.base, nullptr);  // the file read once
        std::vector<double> emb(n * encoder->dim());
        if (n) encoder->encode(lon, lat, n, emb.data());
        s.inputs = at::from_blob(emb.data(), {int64_t(n), int64_t(encoder->dim())}, at::kDouble).to(at::kFloat);
    }
}

Trainer::~Trainer() = default;

std::size_t Trainer::input_dim() const { return std::size_t(impl_->inputs.size(1)); }

std::unique_ptr<TrainedModel> Trainer::fit(const Split& split,
                                           const std::function<void(const EpochReport&)>& on_epoch) const {
    const Impl& s = *impl_;
    const FitOptions& o = s.options;
    const bool classify = s.targets.task == Task::Classification;
    const auto t0 = std::chrono::steady_clock::now();
    if (split.train.empty())
        throw DataError("no training points left: every point went to validation (--val-where, --val-fraction)");

    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
    const int64_t in = s.inputs.size(1), out = int64_t(s.outputs());
    TrainableNetwork net = [&] {
        if (!o.base_model.empty())
            return o.head.kind == "mlp" ? TrainableNetwork::mlp(in, o.head.width, out, gen)
                                        : TrainableNetwork::linear(in, out, gen);
        if (o.net.kind == "fcnet") return TrainableNetwork::fcnet(in, o.net.width, o.net.depth, out, gen);
        if (o.net.kind == "linear") return TrainableNetwork::linear(in, out, gen);
        return TrainableNetwork::siren(in, o.net.width, o.net.depth, out, o.net.w0_initial, o.net.w0, gen);
    }();

    const at::Device device = resolve_device(o.device) == DeviceKind::Cuda ? at::Device(at::kCUDA) : at::Device(at::kCPU);
    net.to(device);
    const at::Tensor x_train = s.inputs.index_select(0, index_tensor(split.train)).to(device);
    const at::Tensor x_val = s.inputs.index_select(0, index_tensor(split.val)).to(device);
    // Targets of every point (class indices, or standardised values), then the split's rows.
    at::Tensor y_all, class_weight;
    double mean = 0.0, scale = 1.0;
    if (classify) {
        y_all = at::from_blob(const_cast<int64_t*>(s.targets.classes.data()), {int64_t(s.targets.classes.size())},
                              at::kLong);
        if (o.balanced) {
            std::vector<double> count(std::size_t(out), 0.0);
            for (std::size_t i : split.train) count[std::size_t(s.targets.classes[i])] += 1;
            class_weight = at::zeros({out}, at::kFloat);
            for (int64_t k = 0; k < out; ++k)
                if (count[std::size_t(k)] > 0)
                    class_weight[k] = double(split.train.size()) / (double(out) * count[std::size_t(k)]);
            class_weight = class_weight.to(device);
        }
    } else {
        // Mean and standard deviation of values divided by their largest magnitude, so
        // that neither sum overflows for huge targets (1e200 squared would).
        double big = 0;
        for (std::size_t i : split.train) big = std::max(big, std::abs(s.targets.values[i]));
        if (!(big > 0)) big = 1.0;
        for (std::size_t i : split.train) mean += s.targets.values[i] / big;
        mean /= double(split.train.size());
        double ss = 0;
        for (std::size_t i : split.train) ss += (s.targets.values[i] / big - mean) * (s.targets.values[i] / big - mean);
        scale = std::sqrt(ss / double(split.train.size())) * big;
        mean *= big;
        if (!(scale > 0)) scale = 1.0;  // a constant target: fit the offset only
        if (!std::isfinite(mean) || !std::isfinite(scale))
            throw DataError("--target " + s.targets.target + ": the values are too large to standardise");
        y_all = at::empty({int64_t(s.targets.values.size())}, at::kFloat);
        for (std::size_t i = 0; i < s.targets.values.size(); ++i)
            y_all.data_ptr<float>()[i] = float((s.targets.values[i] - mean) / scale);
    }
    const at::Tensor y_train = y_all.index_select(0, index_tensor(split.train)).to(device);
    const at::Tensor y_val = y_all.index_select(0, index_tensor(split.val)).to(device);
    // Training weighs classes (--class-weights); validation watches the plain loss, the
    // log-loss it reports, which is defined even for classes the training part lacks.
    auto loss_of = [&](const at::Tensor& pred, const at::Tensor& y, bool weighted) {
        if (classify) return at::nll_loss(at::log_softmax(pred, 1), y, weighted ? class_weight : at::Tensor());
        return at::mse_loss(pred.squeeze(1), y);
    };

    torch::optim::Adam adam(net.parameters(), torch::optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
    std::mt19937_64 order_rng(o.seed ^ 0x9e3779b97f4a7c15ULL);
    std::vector<std::size_t> order(split.train.size());
    FitSummary summary;
    summary.n_train = split.train.size();
    summary.n_val = split.val.size();
    summary.best_val_loss = kNaN;
    std::vector<at::Tensor> best;
    int since_best = 0;
    const int epochs = std::max(1, o.epochs);
    const SerialTorchOps serial_ops;  // the threads go to BLAS (core/blas_runtime.h)
    for (int e = 0; e < epochs; ++e) {
        // Cosine annealing to 0 over the planned epochs (SGDR without restarts).
        const double lr = 0.5 * o.lr * (1.0 + std::cos(M_PI * double(e) / double(epochs)));
        for (auto& g : adam.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        shuffle_indices(order, order_rng);
        const at::Tensor perm = index_tensor(order).to(device);  // the epoch's batch order, drawn on the CPU
        at::Tensor total = at::zeros({}, x_train.options().dtype(at::kDouble));
        for (std::size_t b = 0; b < order.size(); b += o.batch_size) {
            const std::size_t m = std::min(o.batch_size, order.size() - b);
            const at::Tensor idx = perm.narrow(0, int64_t(b), int64_t(m));
            const at::Tensor xb = x_train.index_select(0, idx);
            at::Tensor loss = loss_of(o.dropout > 0 ? net.forward_dropout(xb, o.dropout, gen) : net.forward(xb),
                                      y_train.index_select(0, idx), true);
            adam.zero_grad();
            loss.backward();
            adam.step();
            total += loss.detach().to(at::kDouble) * double(m);  // no device sync per step
        }
        EpochReport r;
        r.epoch = e + 1;
        r.epochs = epochs;
        r.lr = lr;
        r.train_loss = total.item<double>() / double(order.size());
        r.val_loss = r.val_accuracy = kNaN;
        if (!split.val.empty()) {
            at::NoGradGuard no_grad;
            const at::Tensor pred = net.forward(x_val);
            r.val_loss = loss_of(pred, y_val, false).item<double>();
            if (classify) r.val_accuracy = pred.argmax(1).eq(y_val).to(at::kDouble).mean().item<double>();
        }
        summary.epochs_run = e + 1;
        summary.train_loss = r.train_loss;
        // Without a validation split the last epoch is the best; a NaN loss never is.
        if (split.val.empty() || (std::isfinite(r.val_loss) && (best.empty() || r.val_loss < summary.best_val_loss))) {
            r.best = true;
            summary.best_epoch = e + 1;
            summary.best_val_loss = r.val_loss;
            best = net.snapshot();
            since_best = 0;
        } else {
            ++since_best;
        }
        if (on_epoch) on_epoch(r);
        if (!std::isfinite(r.train_loss))
            throw DataError("training diverged at epoch " + std::to_string(e + 1) + " (loss " +
                            std::to_string(r.train_loss) + "); try a smaller --lr");
        if (!split.val.empty() && o.patience > 0 && since_best >= o.patience) {
            summary.stopped_early = e + 1 < epochs;
            break;
        }
    }
    if (best.empty())
        throw DataError("the validation loss was never finite (" + std::to_string(summary.epochs_run) +
                        " epochs); check the targets, or try a smaller --lr");
    net.restore(best);

    LoadedModel m = s.base;
    PredictorSpec p;
    p.task = s.targets.task;
    p.target = s.targets.target;
    p.labels = s.targets.labels;
    p.mean = mean;
    p.scale = scale;
    std::string architecture;
    if (o.base_model.empty()) {
        m.network = net.to_network();
        m.config.network = to_string(m.network->kind());
        m.config.widths = m.network->widths();
        m.config.dim = m.network->out_dim();
        m.config.w0_initial = o.net.w0_initial;
        m.config.w0 = o.net.w0;
        m.config.source = "geoenc-train";
        m.config.source_sha256.clear();
        architecture = m.config.positional_encoding + " + " + o.net.text();
    } else {
        m.head = net.to_network();
        p.head = o.head.kind;
        m.config.head_widths = m.head->widths();
        m.config.source = o.base_name.empty() ? m.config.source : o.base_name;
        if (m.kind != "geoenc-model") m.config.source_sha256 = m.sha256;
        architecture = (o.base_name.empty() ? o.base_model : o.base_name) + " (frozen) + " + o.head.text() + " head";
    }
    m.config.predictor = p;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::make_unique<TrainedModelImpl>(std::move(m), summary, architecture);
}

}  // namespace geoenc::train
