#pragma once
// Encoding whole rows of a lon/lat grid at once. On such a grid the spherical
// harmonics separate, Y_lm(theta, phi) = P_lm(theta) * trig(m phi), so the
// Legendre part is computed once per row and the trigonometric part once per
// column; a network's first (linear) layer separates the same way:
//   per row:   A[m][j] = sum_l W[j][lm] P_lm(theta_row)           (2L-1 x width)
//   per pixel: z[j]    = b[j] + sum_m A[m][j] trig(m phi_col)     (2L-1 instead of L*L terms)
// Torch-free: tools hold one through this interface.
#include <cstddef>
#include <memory>

namespace geoenc {

class GridEncoder {
public:
    virtual ~GridEncoder() = default;
    virtual std::size_t dim() const = 0;
    // Pixels at (lon[c], lat[r]) for r < rows, c < cols, in degrees; writes
    // rows * cols * dim() values, row-major (row, column, feature). Equal to
    // LocationEncoder::encode on the same points up to rounding.
    virtual void encode_rows(const double* lat, std::size_t rows, const double* lon, std::size_t cols, double* out) = 0;
    // The per-row work of up to this many latitudes is kept between calls, so
    // the tiles of one block row share it. Default 256.
    virtual void set_row_cache(std::size_t rows) = 0;
};

}  // namespace geoenc
