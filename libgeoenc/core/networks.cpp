#include "core/networks.h"

#include "core/errors.h"
#include "core/fast_sine.h"

namespace geoenc {

namespace {

// SIREN's activation: our AVX-512 sine for the float32 CPU buffers the
// encoders run (the bulk of a grid's work after the matrix products), LibTorch's otherwise.
void sine(at::Tensor& y) {
    if (y.device().is_cpu() && y.scalar_type() == at::kFloat && y.is_contiguous() && !y.requires_grad())
        sine_in_place(y.data_ptr<float>(), std::size_t(y.numel()));
    else
        y.sin_();
}

std::string shape_text(const at::Tensor& t) {
    std::string s = "[";
    for (int64_t i = 0; i < t.dim(); ++i) s += (i ? "x" : "") + std::to_string(t.size(i));
    return s + "]";
}

const at::Tensor* find(const TensorMap& w, const std::string& key) {
    auto it = w.find(key);
    return it == w.end() ? nullptr : &it->second;
}

const at::Tensor& require(const TensorMap& w, const std::string& key) {
    const at::Tensor* t = find(w, key);
    if (!t) throw DataError("weights: missing '" + key + "'");
    return *t;
}

bool has_prefix(const TensorMap& w, const std::string& prefix) {
    for (const auto& kv : w)
        if (kv.first.rfind(prefix, 0) == 0) return true;
    return false;
}

}  // namespace

NetKind parse_net_kind(const std::string& text) {
    if (text == "siren") return NetKind::Siren;
    if (text == "fcnet") return NetKind::FcNet;
    if (text == "linear") return NetKind::Linear;
    throw UsageError("network: expected siren, fcnet or linear, got '" + text + "'");
}

const char* to_string(NetKind k) {
    switch (k) {
        case NetKind::Siren: return "siren";
        case NetKind::FcNet: return "fcnet";
        case NetKind::Linear: return "linear";
    }
    return "?";
}

NetKind Network::detect_kind(const TensorMap& w) {
    if (has_prefix(w, "layers.") || has_prefix(w, "last_layer.")) return NetKind::Siren;
    if (has_prefix(w, "feats.") || has_prefix(w, "class_emb.")) return NetKind::FcNet;
    return NetKind::Linear;
}

Network Network::from_weights(NetKind kind, const TensorMap& w, double w0_initial, double w0) {
    Network net;
    net.kind_ = kind;
    auto dense = [&](const std::string& prefix, bool bias_required, Act act, double omega) {
        const at::Tensor& weight = require(w, prefix + "weight");
        if (weight.dim() != 2) throw DataError("weights: '" + prefix + "weight' is " + shape_text(weight) + ", not a matrix");
        Dense d;
        d.name = prefix;
        d.raw_weight = weight;
        d.weight_t = weight.t().contiguous();
        if (const at::Tensor* b = find(w, prefix + "bias")) {
            if (b->dim() != 1 || b->size(0) != weight.size(0))
                throw DataError("weights: '" + prefix + "bias' is " + shape_text(*b) + ", expected [" +
                                std::to_string(weight.size(0)) + "]");
            d.bias = b->contiguous();
            d.raw_bias = *b;
        } else if (bias_required) {
            throw DataError("weights: missing '" + prefix + "bias'");
        }
        d.act = act;
        // sin(w0 (W x + b)) = sin((w0 W) x + w0 b): folding w0 into the weights
        // saves a pass over every activation. weights() returns the originals.
        if (act == Act::Sine && omega != 1.0) {
            d.weight_t = d.weight_t * omega;
            d.bias = d.bias * omega;
        }
        d.w0 = omega;
        return d;
    };
    switch (kind) {
        case NetKind::Siren: {
            for (int i = 0; find(w, "layers." + std::to_string(i) + ".weight"); ++i)
                net.layers_.push_back(dense("layers." + std::to_string(i) + ".", true, Act::Sine, i == 0 ? w0_initial : w0));
            net.layers_.push_back(dense("last_layer.", true, Act::None, 1.0));
            break;
        }
        case NetKind::FcNet: {
            net.layers_.push_back(dense("feats.0.", true, Act::Relu, 1.0));
            for (int k = 1; k < 64; ++k) {
                const std::string p = "feats." + std::to_string(k) + ".";
                if (!find(w, p + "w1.weight")) continue;  // feats.1 is the ReLU module: no weights
                Dense a = dense(p + "w1.", true, Act::Relu, 1.0), b = dense(p + "w2.", true, Act::Relu, 1.0);
                b.residual = true;
                net.layers_.push_back(std::move(a));
                net.layers_.push_back(std::move(b));
            }
            net.layers_.push_back(dense("class_emb.", false, Act::None, 1.0));
            break;
        }
        case NetKind::Linear:
            net.layers_.push_back(dense(find(w, "fc.weight") ? "fc." : "", false, Act::None, 1.0));
            break;
    }
    for (std::size_t i = 1; i < net.layers_.size(); ++i)
        if (net.layers_[i].weight_t.size(0) != net.layers_[i - 1].weight_t.size(1))
            throw DataError("weights: '" + net.layers_[i].name + "weight' takes " +
                            std::to_string(net.layers_[i].weight_t.size(0)) + " inputs but '" +
                            net.layers_[i - 1].name + "weight' gives " +
                            std::to_string(net.layers_[i - 1].weight_t.size(1)));
    for (const auto& d : net.layers_)
        if (d.residual && d.weight_t.size(0) != d.weight_t.size(1))
            throw DataError("weights: residual block '" + d.name + "weight' is not square");
    return net;
}

int64_t Network::in_dim() const { return layers_.front().weight_t.size(0); }
int64_t Network::out_dim() const { return layers_.back().weight_t.size(1); }

std::vector<int64_t> Network::widths() const {
    std::vector<int64_t> out{in_dim()};
    for (const auto& d : layers_) out.push_back(d.weight_t.size(1));
    return out;
}

void Network::to(at::Device device, at::ScalarType dtype) {
    for (auto& d : layers_) {
        d.weight_t = d.weight_t.to(device, dtype).contiguous();
        if (d.bias.defined()) d.bias = d.bias.to(device, dtype).contiguous();
    }
}

at::Tensor Network::forward(const at::Tensor& x) const {
    at::Tensor out;
    std::vector<at::Tensor> scratch;
    forward_into(x, out, scratch);
    return out;
}

void Network::forward_into(const at::Tensor& x, at::Tensor& out, std::vector<at::Tensor>& scratch) const {
    if (x.dim() != 2 || x.size(1) != in_dim())
        throw DataError("network input is " + shape_text(x) + ", expected [n x " + std::to_string(in_dim()) + "]");
    run_layers(0, &x, out, scratch);
}

void Network::forward_after_first(at::Tensor& first, at::Tensor& out, std::vector<at::Tensor>& scratch) const {
    const Dense& d = layers_.front();
    if (first.dim() != 2 || first.size(1) != d.weight_t.size(1))
        throw DataError("first-layer values are " + shape_text(first) + ", expected [n x " +
                        std::to_string(d.weight_t.size(1)) + "]");
    switch (d.act) {
        case Act::Sine: sine(first); break;
        case Act::Relu: first.relu_(); break;
        case Act::None: break;
    }
    if (layers_.size() == 1) {
        out = first;
        return;
    }
    run_layers(1, &first, out, scratch);
}

void Network::run_layers(std::size_t from, const at::Tensor* cur, at::Tensor& out, std::vector<at::Tensor>& scratch) const {
    const int64_t n = cur->size(0);
    const at::TensorOptions options = cur->options();
    scratch.resize(layers_.size());
    const at::Tensor* block_input = nullptr;
    for (std::size_t i = from; i < layers_.size(); ++i) {
        const Dense& d = layers_[i];
        at::Tensor& y = i + 1 == layers_.size() ? out : scratch[i];
        const int64_t width = d.weight_t.size(1);
        if (!y.defined() || y.size(0) != n || y.size(1) != width || y.scalar_type() != cur->scalar_type() ||
            y.device() != cur->device())
            y = at::empty({n, width}, options);
        if (d.bias.defined()) at::addmm_out(y, d.bias, *cur, d.weight_t);
        else at::mm_out(y, *cur, d.weight_t);
        switch (d.act) {
            case Act::Sine: sine(y); break;
            case Act::Relu: y.relu_(); break;
            case Act::None: break;
        }
        if (d.residual) y.add_(*block_input);
        // A residual pair starts at a w1 layer: remember its input for the skip.
        if (i + 1 < layers_.size() && layers_[i + 1].residual) block_input = cur;
        cur = &y;
    }
}

TensorMap Network::weights() const {
    TensorMap m;
    for (const auto& d : layers_) {
        m[d.name + "weight"] = d.raw_weight;
        if (d.raw_bias.defined()) m[d.name + "bias"] = d.raw_bias;
    }
    return m;
}

}  // namespace geoenc
