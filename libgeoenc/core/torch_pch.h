// Precompiled header for the compute core: the LibTorch headers that dominate
// compile time. Only compute translation units see it.
#pragma once
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/types.h>
#include <torch/version.h>
