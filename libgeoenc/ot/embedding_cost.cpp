#include "ot/embedding_cost.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace geoenc::ot {

namespace {

std::vector<double> unit_rows(const std::vector<double>& e, std::size_t dim, const char* side) {
    if (dim == 0 || e.size() % dim) throw std::invalid_argument(std::string("EmbeddingCost: ") + side + " size is not a multiple of dim");
    std::vector<double> out(e);
    for (std::size_t r = 0; r < e.size() / dim; ++r) {
        double s = 0.0;
        for (std::size_t k = 0; k < dim; ++k) s += e[r * dim + k] * e[r * dim + k];
        if (!(s > 0) || !std::isfinite(s))
            throw std::invalid_argument(std::string("EmbeddingCost: ") + side + " embedding " + std::to_string(r) +
                                        " is zero or not finite: it has no direction");
        const double inv = 1.0 / std::sqrt(s);
        for (std::size_t k = 0; k < dim; ++k) out[r * dim + k] *= inv;
    }
    return out;
}

// 1 - <x, y> for unit vectors, clamped to [0, 2] against rounding.
inline double one_minus_dot(const double* x, const double* y, std::size_t dim) {
    double s = 0.0;
    for (std::size_t k = 0; k < dim; ++k) s += x[k] * y[k];
    const double c = 1.0 - s;
    return c < 0.0 ? 0.0 : (c > 2.0 ? 2.0 : c);
}

}  // namespace

EmbeddingCost::EmbeddingCost(const std::vector<double>& src, const std::vector<double>& tgt, std::size_t dim)
    : src_(unit_rows(src, dim, "source")), tgt_(unit_rows(tgt, dim, "target")), dim_(dim),
      n_(src.size() / dim), m_(tgt.size() / dim) {}

void EmbeddingCost::row(std::size_t i, std::size_t j0, std::size_t j1, double* out) const {
    const double* x = &src_[i * dim_];
    for (std::size_t j = j0; j < j1; ++j) out[j - j0] = one_minus_dot(x, &tgt_[j * dim_], dim_);
}

void EmbeddingCost::col(std::size_t j, std::size_t i0, std::size_t i1, double* out) const {
    const double* y = &tgt_[j * dim_];
    for (std::size_t i = i0; i < i1; ++i) out[i - i0] = one_minus_dot(&src_[i * dim_], y, dim_);
}

}  // namespace geoenc::ot
