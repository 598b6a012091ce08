#include "train/trainable_network.h"

#include <cmath>

namespace geoenc::train {

void TrainableNetwork::add(const std::string& name, int64_t in, int64_t out, double bound, Act act, double w0,
                           bool residual, at::Generator& gen) {
    Layer l;
    l.name = name;
    l.weight = at::empty({out, in}, at::kFloat).uniform_(-bound, bound, gen).set_requires_grad(true);
    l.bias = at::empty({out}, at::kFloat).uniform_(-bound, bound, gen).set_requires_grad(true);
    l.act = act;
    l.w0 = w0;
    l.residual = residual;
    layers_.push_back(std::move(l));
}

TrainableNetwork TrainableNetwork::siren(int64_t in, int64_t width, int depth, int64_t out, double w0_initial,
                                         double w0, at::Generator& gen) {
    TrainableNetwork n;
    n.kind_ = NetKind::Siren;
    n.w0_initial_ = w0_initial;
    n.w0_ = w0;
    int64_t prev = in;
    for (int i = 0; i < depth; ++i) {
        const double bound = i == 0 ? 1.0 / double(prev) : std::sqrt(6.0 / double(prev)) / w0;
        n.add("layers." + std::to_string(i) + ".", prev, width, bound, Act::Sine, i == 0 ? w0_initial : w0, false, gen);
        prev = width;
    }
    n.add("last_layer.", prev, out, std::sqrt(6.0 / double(prev)) / w0, Act::None, 1.0, false, gen);
    return n;
}

TrainableNetwork TrainableNetwork::fcnet(int64_t in, int64_t width, int depth, int64_t out, at::Generator& gen) {
    TrainableNetwork n;
    n.kind_ = NetKind::FcNet;
    n.add("feats.0.", in, width, 1.0 / std::sqrt(double(in)), Act::Relu, 1.0, false, gen);
    // feats.1 is the ReLU module in the original layout: blocks start at feats.2.
    for (int k = 0; k < depth; ++k) {
        const std::string p = "feats." + std::to_string(k + 2) + ".";
        const double bound = 1.0 / std::sqrt(double(width));
        n.add(p + "w1.", width, width, bound, Act::Relu, 1.0, false, gen);
        n.add(p + "w2.", width, width, bound, Act::Relu, 1.0, true, gen);
    }
    n.add("class_emb.", width, out, 1.0 / std::sqrt(double(width)), Act::None, 1.0, false, gen);
    return n;
}

TrainableNetwork TrainableNetwork::mlp(int64_t in, int64_t width, int64_t out, at::Generator& gen) {
    return fcnet(in, width, 0, out, gen);
}

TrainableNetwork TrainableNetwork::linear(int64_t in, int64_t out, at::Generator& gen) {
    TrainableNetwork n;
    n.kind_ = NetKind::Linear;
    n.add("fc.", in, out, 1.0 / std::sqrt(double(in)), Act::None, 1.0, false, gen);
    return n;
}

at::Tensor TrainableNetwork::forward(const at::Tensor& x) const { return run(x, 0.0, nullptr); }

at::Tensor TrainableNetwork::forward_dropout(const at::Tensor& x, double p, at::Generator& gen) const {
    return run(x, p, &gen);
}

at::Tensor TrainableNetwork::run(const at::Tensor& x, double p, at::Generator* gen) const {
    at::Tensor cur = x, block_input;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const Layer& l = layers_[i];
        if (i + 1 < layers_.size() && layers_[i + 1].residual) block_input = cur;
        at::Tensor y = at::addmm(l.bias, cur, l.weight.t());
        switch (l.act) {
            case Act::Sine: y = at::sin(l.w0 == 1.0 ? y : y * l.w0); break;
            case Act::Relu: y = at::relu(y); break;
            case Act::None: break;
        }
        if (l.residual) y = y + block_input;
        // Hidden outputs only (not the last layer, not inside a residual block's first half).
        const bool hidden = i + 1 < layers_.size() && !layers_[i + 1].residual;
        if (gen && p > 0 && hidden) {
            // Drawn on the CPU from the seeded generator, whatever the device.
            const at::Tensor keep =
                at::empty(y.sizes(), y.options().device(at::kCPU).requires_grad(false)).bernoulli_(1.0 - p, *gen).to(y.device());
            y = y * keep / (1.0 - p);
        }
        cur = y;
    }
    return cur;
}

void TrainableNetwork::to(at::Device device) {
    for (auto& l : layers_) {
        l.weight = l.weight.detach().to(device).set_requires_grad(true);
        l.bias = l.bias.detach().to(device).set_requires_grad(true);
    }
}

std::vector<at::Tensor> TrainableNetwork::parameters() const {
    std::vector<at::Tensor> p;
    for (const auto& l : layers_) {
        p.push_back(l.weight);
        p.push_back(l.bias);
    }
    return p;
}

std::vector<at::Tensor> TrainableNetwork::snapshot() const {
    std::vector<at::Tensor> s;
    for (const auto& p : parameters()) s.push_back(p.detach().clone());
    return s;
}

void TrainableNetwork::restore(const std::vector<at::Tensor>& values) {
    at::NoGradGuard no_grad;
    const auto p = parameters();
    for (std::size_t i = 0; i < p.size(); ++i) p[i].copy_(values[i]);
}

Network TrainableNetwork::to_network() const {
    TensorMap w;
    for (const auto& l : layers_) {
        w[l.name + "weight"] = l.weight.detach().to(at::kCPU).clone();
        w[l.name + "bias"] = l.bias.detach().to(at::kCPU).clone();
    }
    return Network::from_weights(kind_, w, w0_initial_, w0_);
}

}  // namespace geoenc::train
