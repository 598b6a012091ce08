#pragma once
// The --weights text: knn:K | distance:D[,alpha=A] | kernel:NAME:K[,fixed|adaptive][,bandwidth=B] | queen | rook.
#include <string>

namespace geoenc::tools {

struct WeightsSpec {
    enum class Kind { Auto, Knn, Distance, Kernel, Queen, Rook } kind = Kind::Auto;
    int k = 8;                  // knn:K, kernel:NAME:K
    double distance_km = 0;     // distance:D
    bool binary = true;         // distance without alpha
    double alpha = -1;          // distance:D,alpha=A (inverse distance d^A)
    std::string kernel = "triangular";
    bool adaptive = true;       // kernel: per-point bandwidth from the k-th neighbour (libpysal's default is fixed)
    double bandwidth_km = 0;    // kernel ...,bandwidth=B: fixed bandwidth

    std::string text() const;   // canonical form, for messages and metadata
};

// Throws UsageError naming --weights and the expected forms.
WeightsSpec parse_weights_spec(const std::string& text);

}  // namespace geoenc::tools
