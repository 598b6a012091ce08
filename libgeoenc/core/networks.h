#pragma once
// The location-encoder networks of the SH+SIREN paper, as plain LibTorch
// tensor arithmetic. Widths and depths come from the weights, never from code.
//   siren:  layers.i = sin(w0_i (W x + b)), w0_0 = 30, w0_i = 1; last_layer linear
//   fcnet:  feats.0 linear + ReLU, then residual blocks feats.k.{w1,w2}
//           (y = x + relu(w2 relu(w1 x))); class_emb linear (bias optional)
//   linear: one linear map (weight/bias or fc.weight/fc.bias)
// Compute translation units only: exposes at::Tensor.
#include <ATen/ATen.h>

#include <map>
#include <string>
#include <vector>

namespace geoenc {

using TensorMap = std::map<std::string, at::Tensor>;

enum class NetKind { Linear, FcNet, Siren };
NetKind parse_net_kind(const std::string& text);  // throws UsageError
const char* to_string(NetKind k);

class Network {
public:
    // Throws DataError naming the missing key or the shapes that do not chain.
    static Network from_weights(NetKind kind, const TensorMap& weights, double w0_initial = 30.0,
                                double w0 = 1.0);
    // Guesses the kind from the key names (layers.* -> siren, feats.* -> fcnet, else linear).
    static NetKind detect_kind(const TensorMap& weights);

    int64_t in_dim() const;
    int64_t out_dim() const;
    std::vector<int64_t> widths() const;  // in, hidden..., out
    NetKind kind() const { return kind_; }

    void to(at::Device device, at::ScalarType dtype);  // moves and casts every weight
    // x: n x in_dim on the network's device and dtype. Returns n x out_dim.
    at::Tensor forward(const at::Tensor& x) const;
    // Same, reusing `scratch` buffers between calls (no allocation per chunk on the CPU).
    void forward_into(const at::Tensor& x, at::Tensor& out, std::vector<at::Tensor>& scratch) const;

    // The first layer as forward() applies it: weights transposed (in x out,
    // SIREN's w0 folded in) and bias (undefined when it has none). Separable
    // grid encoders (core/separable_grid_encoder.h) compute its product themselves.
    const at::Tensor& first_weight_t() const { return layers_.front().weight_t; }
    const at::Tensor& first_bias() const { return layers_.front().bias; }
    // forward_into from the first layer's pre-activation (x W + b, n x width):
    // applies its activation in place and runs the remaining layers.
    void forward_after_first(at::Tensor& first, at::Tensor& out, std::vector<at::Tensor>& scratch) const;

    // Weights under canonical names (the key scheme above), for saving.
    TensorMap weights() const;

private:
    enum class Act { None, Sine, Relu };
    // Layers [from, end) on `cur`, the output of layer from-1 (or the input).
    void run_layers(std::size_t from, const at::Tensor* cur, at::Tensor& out, std::vector<at::Tensor>& scratch) const;
    struct Dense {
        at::Tensor weight_t;  // stored transposed (in x out): addmm without a per-call transpose
        at::Tensor bias;      // may be undefined
        Act act = Act::None;
        double w0 = 1.0;
        bool residual = false;  // fcnet blocks: pairs of Dense with a skip over both
        std::string name;
        at::Tensor raw_weight, raw_bias;  // as given, for weights(): exact round trips
    };
    NetKind kind_ = NetKind::Siren;
    std::vector<Dense> layers_;
};

}  // namespace geoenc
