#pragma once
// asin(s) for 0 <= s <= 1/sqrt(2) (s up to ~0.75 keeps the accuracy), in plain
// arithmetic the compiler vectorises: glibc's asin is a scalar call, and it was
// most of the time of a sphere cost computed on the fly (one per entry and
// Sinkhorn pass). asin(s) = s h(s^2), h(t) = asin(sqrt t)/sqrt t, analytic on
// [0, 1/2] (nearest singularity t = 1): a degree-18 polynomial in u = 4t - 1,
// the Chebyshev interpolant at 19 nodes computed in long double. Relative
// error at most 4.5e-16 over [0, 1/sqrt(2)] (tests/ot/test_fast_asin.cpp
// checks it against asinl on a dense grid).
namespace geoenc::ot {

inline constexpr double kAsinPoly[19] = {
    1.04719755119659785336e+00,
    5.37514935913271721390e-02,
    7.79890223897369491701e-03,
    1.51966853958294218982e-03,
    3.40863723416885591559e-04,
    8.30231781900496782454e-05,
    2.13455526046667579121e-05,
    5.70178108020668976408e-06,
    1.56696259013232308543e-06,
    4.40207577512893161176e-07,
    1.25846246066402267516e-07,
    3.64659853563376046282e-08,
    1.06996489931954208430e-08,
    3.21252096452395718984e-09,
    9.60892421186798628696e-10,
    2.51459103539630746127e-10,
    7.58533236222547202487e-11,
    4.20724566296826196776e-11,
    1.29718458197203290183e-11};

// asin(s) given t = s * s as well (callers that have the square skip rounding it).
inline double asin_small(double s, double t) {
    const double u = 4.0 * t - 1.0;
    double p = kAsinPoly[18];
#pragma GCC unroll 18
    for (int k = 17; k >= 0; --k) p = p * u + kAsinPoly[k];  // unrolled, so the caller's loop vectorises
    return s * p;
}

}  // namespace geoenc::ot
