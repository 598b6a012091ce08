#pragma once
// The local Moran conditional-permutation step (stats/moran_local.h) on
// LibTorch tensors, for a CUDA device (or the CPU, where the threaded C++
// engine is faster: this one is there so the GPU path can be tested anywhere).
//
// Sites go in chunks; a chunk draws all its permutations at once: indices
// uniform over the n - 1 other sites, [sites x permutations x k_max], rows
// with a repeat redrawn until none is left (uniform over the k-subsets, as the
// C++ engine), then one gather of z, the weighted sum, and the comparisons and
// sums per site. Memory is O(chunk x permutations x k_max), never n x
// permutations (unless the simulations are kept).
//
// The random numbers come from LibTorch's generator for the device, seeded
// with --seed: the same seed, device and LibTorch give the same p-values; the
// draws differ from the C++ engine's, so the two agree statistically, not
// digit for digit. Public header: no LibTorch types.
#include "stats/moran_local.h"

namespace geoenc::stats {

void tensor_local_permutations_cpu(const LocalPermutationTask& task, LocalPermutationSums& sums);
// Requires a CUDA build of LibTorch and a device (geoenc::cuda_available()).
void tensor_local_permutations_cuda(const LocalPermutationTask& task, LocalPermutationSums& sums);

// Tests only: the CPU engine's working memory per chunk (64 MiB), small enough
// to split sites and permutations into many blocks.
void set_tensor_chunk_bytes_cpu(double bytes);

}  // namespace geoenc::stats
