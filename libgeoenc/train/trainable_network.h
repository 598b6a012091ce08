#pragma once
// The networks of core/networks.h with trainable parameters: the same layers,
// activations and canonical weight names, initialised as their papers do, with
// an autograd forward. to_network() hands the trained weights to the inference
// Network, which is what gets saved and run by the tools.
// Compute translation units only: exposes at::Tensor.
#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "core/networks.h"

namespace geoenc::train {

class TrainableNetwork {
public:
    // SIREN (Sitzmann et al. 2020, as in SatCLIP): depth sine layers of `width`,
    // the first sin(w0_initial (W x + b)) with W, b ~ U(+-1/in), the others
    // sin(w0 (W x + b)) with U(+-sqrt(6/in)/w0); a linear last layer initialised
    // like the hidden ones.
    static TrainableNetwork siren(int64_t in, int64_t width, int depth, int64_t out, double w0_initial, double w0,
                                  at::Generator& gen);
    // FCNet (Mac Aodha et al. 2019): linear + ReLU, `depth` residual blocks, linear
    // output. PyTorch's default Linear initialisation, U(+-1/sqrt(in)).
    static TrainableNetwork fcnet(int64_t in, int64_t width, int depth, int64_t out, at::Generator& gen);
    // One hidden ReLU layer: fcnet without residual blocks (the probe MLP head).
    static TrainableNetwork mlp(int64_t in, int64_t width, int64_t out, at::Generator& gen);
    static TrainableNetwork linear(int64_t in, int64_t out, at::Generator& gen);

    at::Tensor forward(const at::Tensor& x) const;  // records autograd
    // The same with dropout after each hidden layer (probability p, inverted
    // scaling), the masks drawn from `gen`: training only.
    at::Tensor forward_dropout(const at::Tensor& x, double p, at::Generator& gen) const;
    // Moves the parameters (still trainable leaves) to `device`; before the optimiser sees them.
    void to(at::Device device);
    std::vector<at::Tensor> parameters() const;
    std::vector<at::Tensor> snapshot() const;  // detached copies of the parameters
    void restore(const std::vector<at::Tensor>& values);
    // The trained weights as an inference Network (canonical names, float32, on the CPU).
    Network to_network() const;
    NetKind kind() const { return kind_; }

private:
    enum class Act { None, Sine, Relu };
    struct Layer {
        std::string name;  // canonical prefix, e.g. "layers.0."
        at::Tensor weight, bias;
        Act act = Act::None;
        double w0 = 1.0;
        bool residual = false;  // the second layer of an fcnet block: adds the block's input
    };
    void add(const std::string& name, int64_t in, int64_t out, double bound, Act act, double w0, bool residual,
             at::Generator& gen);
    at::Tensor run(const at::Tensor& x, double p, at::Generator* gen) const;

    NetKind kind_ = NetKind::Siren;
    double w0_initial_ = 30.0, w0_ = 1.0;
    std::vector<Layer> layers_;
};

}  // namespace geoenc::train
