#pragma once
// Encoding whole rows of a lon/lat grid at once. On such a grid the spherical
// harmonics separate, Y_lm(theta, phi) = P_lm(theta) * trig(m phi), so the
// Legendre part is computed once per row and the trigonometric part once per
// column; a network's first (linear) layer separates the same way:
//   per row:   A[m][j] = sum_l W[j][lm] P_lm(theta_row)           (2L-1 x width)
//   per pixel: z[j]    = b[j] + sum_m A[m][j] trig(m phi_col)     (2L-1 instead of L*L terms)
// Torch-free: tools hold one through this interface.
#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>

namespace geoenc {

class GridEncoder {
public:
    virtual ~GridEncoder() = default;
    virtual std::size_t dim() const = 0;
    // Receives the pixels (col0 .. col0+n-1, row) as n * dim() values (pixel-major)
    // while they are computed, on the encoder's threads, several at a time: what
    // a caller derives from the embedding (a similarity, a projection) runs in
    // parallel too, and no rows x cols x dim buffer is needed.
    using ChunkSink = std::function<void(std::size_t row, std::size_t col0, std::size_t n, const double* values)>;
    // Pixels at (lon[c], lat[r]) for r < rows, c < cols, in degrees. Equal to
    // LocationEncoder::encode on the same points up to rounding.
    virtual void encode_rows(const double* lat, std::size_t rows, const double* lon, std::size_t cols,
                             const ChunkSink& sink) = 0;
    // The same into rows * cols * dim() values, row-major (row, column, feature).
    void encode_rows(const double* lat, std::size_t rows, const double* lon, std::size_t cols, double* out) {
        const std::size_t d = dim();
        encode_rows(lat, rows, lon, cols, [&](std::size_t r, std::size_t c0, std::size_t n, const double* v) {
            std::copy(v, v + n * d, out + (r * cols + c0) * d);
        });
    }
    // The per-row work of up to this many latitudes is kept between calls, so
    // the tiles of one block row share it. Default 256.
    virtual void set_row_cache(std::size_t rows) = 0;
};

}  // namespace geoenc
