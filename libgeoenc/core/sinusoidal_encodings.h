#pragma once
// The nine sinusoidal positional encodings of Russwurm et al. (ICLR 2024),
// following their reference code (github.com/MarcCoru/locationencoder,
// locationencoder/pe/{direct,cartesian3d,wrap,theory,grid_and_sphere}.py and
// the _cal_freq_list schedule), itself taken from Mai et al.'s Space2Vec /
// Sphere2Vec (and TorchSpatial).
//
// RADIANS, NOT DEGREES. Every formula below takes
//     lam = longitude in radians, wrapped to [-pi, pi)   (so 180 E == 180 W)
//     phi = latitude in radians
// The reference Python feeds DEGREES into theory, grid and sphere* (its
// "* math.pi / 180" is commented out), so its cos(phi), sin(lam) terms are
// cosines of degree numbers read as radians. We implement what the Sphere2Vec
// formulas mean. Longitude is wrapped first so that lon and lon + 360 give the
// same features even when the scaled frequencies are not integers.
//
// Multi-scale parameters (grid, theory, sphere*):
//     frequencies = F       (default 16, reference frequency_num)
//     min_radius  = r_min   (default 10 degrees)
//     max_radius  = r_max   (default 360 degrees, the reference's training default)
// The radii are wavelength scales in DEGREES (the unit of the reference's
// hparams.yaml, whose tuned min_radius values are 1..73 with max_radius 360);
// they are converted to radians, rho = r * pi / 180, before use. The "geometric"
// schedule (_cal_freq_list) gives, for scale s = 0..F-1 (finest first):
//     rho_s = rho_min * (rho_max / rho_min)^(s / (F - 1))      (rho_0 = rho_min if F == 1)
//     w_s   = 1 / rho_s                                        (angular frequency per radian)
// Because lam / rho_s == lon_deg / r_s, the scaled terms equal the reference's
// at the same hyper-parameters; the radians fix changes the unscaled terms
// (cos phi, cos lam, sin lam of spherem/spherem+) and adds the wrap.
//
// Per-scale blocks are written scale-major: all features of s = 0, then s = 1...
//
//   direct       [lam - pi, phi - pi]                                       dim 2
//                (the reference subtracts pi from both; kept so features match)
//   cartesian3d  [cos lam cos phi, sin lam cos phi, sin phi]                dim 3
//   wrap         [cos lam, sin lam, cos phi, sin phi]                       dim 4
//   grid         for c in (lam, phi): for s: [sin(c w_s), cos(c w_s)]       dim 4F
//   theory       a1 = lam, a2 = -lam/2 + (sqrt3/2) phi, a3 = -lam/2 - (sqrt3/2) phi
//                (projections on three unit vectors 120 degrees apart);
//                for s: [sin a1 w_s, cos a1 w_s, sin a2 w_s, cos a2 w_s,
//                        sin a3 w_s, cos a3 w_s]                            dim 6F
// The sphere* kinds emit every feature twice in a row (x, x, y, y, ...): the
// reference builds them on a (.., F, 2) sin/cos grid and so reports dims 6F,
// 12F, 10F, 16F; we keep those dims so the paper's network widths carry over.
// With L = lam w_s, P = phi w_s:
//   spherec      [sin P, cos P cos L, cos P sin L]                  x2      dim 6F
//   spherec+     [sin P, cos P, sin L, cos L, cos P cos L, cos P sin L] x2  dim 12F
//   spherem      [sin P, cos P cos lam, cos phi cos L,
//                 cos P sin lam, cos phi sin L]                     x2      dim 10F
//   spherem+     [sin P, cos P, sin L, cos L, cos P cos lam, cos phi cos L,
//                 cos P sin lam, cos phi sin L]                     x2      dim 16F
//
// Angles are computed in float64 and cast to the requested dtype at the end,
// so float32 output loses nothing to large scaled angles.
#include <memory>
#include <string>
#include <vector>

#include "core/positional_encoding.h"

namespace geoenc {

// The nine kinds above, in that order.
const std::vector<std::string>& sinusoidal_kinds();

// spec.kind must be one of sinusoidal_kinds(); throws UsageError for unknown
// parameters or out-of-range values.
std::unique_ptr<PositionalEncoding> make_sinusoidal_encoding(const ModelSpec& spec);

}  // namespace geoenc
