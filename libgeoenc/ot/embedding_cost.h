#pragma once
// The embedding cost of GeoSpOT: C_ij = 1 - cos(e_i, f_j) between location
// embeddings, evaluated on the fly from unit-normalised copies (memory
// O((N + M) D)). Values lie in [0, 2].
#include <cstddef>
#include <vector>

#include "ot/ground_cost.h"

namespace geoenc::ot {

class EmbeddingCost : public CostFunction {
public:
    // src: rows x dim and tgt: cols x dim, row-major. A zero embedding has no
    // direction: it is a std::invalid_argument naming its row.
    EmbeddingCost(const std::vector<double>& src, const std::vector<double>& tgt, std::size_t dim);
    std::size_t rows() const override { return n_; }
    std::size_t cols() const override { return m_; }
    void row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const override;
    void col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const override;

private:
    std::vector<double> src_, tgt_;
    std::size_t dim_, n_, m_;
};

}  // namespace geoenc::ot
