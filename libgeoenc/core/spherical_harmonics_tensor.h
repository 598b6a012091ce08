#pragma once
// Spherical harmonics as LibTorch tensor operations: the path used on CUDA
// devices (and testable on the CPU). Vectorised over points and orders m, it
// loops only over the degree l, so a batch costs ~6 kernel launches per degree.
// Compute translation units only: this header pulls in ATen.
#include <ATen/ATen.h>

#include "core/spherical_harmonics.h"

namespace geoenc {

// lon_deg, lat_deg: 1-D float64 tensors on the target device. Returns an
// N x L*L tensor of `dtype` on the same device, same layout as the CPU kernel.
at::Tensor spherical_harmonics_tensor(const at::Tensor& lon_deg, const at::Tensor& lat_deg, int L,
                                      ShConvention conv, at::ScalarType dtype);

}  // namespace geoenc
