#pragma once
// sin() over a float32 buffer, in place, for SIREN's activations. LibTorch's
// CPU sin here runs Sleef's AVX2 kernel (8 lanes, 1.0 ulp); this one uses
// AVX-512 where the CPU has it (16 lanes): Cody-Waite reduction by pi in four
// parts with FMAs, then an odd degree-9 minimax polynomial (Sleef's u35
// coefficients): at most ~3.5 ulp, far inside the float32 error of the
// products around it. Arguments beyond +-1e5 (never SIREN's) take std::sin.
// Torch-free; used by core/networks.cpp.
#include <cstddef>

namespace geoenc {

void sine_in_place(float* x, std::size_t n);

}  // namespace geoenc
