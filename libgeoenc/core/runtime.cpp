#include "core/runtime.h"

#include "core/blas_runtime.h"
#include "core/errors.h"
#include "core/parallel_blocks.h"

#include <cstdlib>

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

namespace geoenc {

DeviceKind parse_device(const std::string& text) {
    if (text == "auto") return DeviceKind::Auto;
    if (text == "cpu") return DeviceKind::Cpu;
    if (text == "cuda") return DeviceKind::Cuda;
    throw UsageError("--device: expected cpu, cuda or auto, got '" + text + "'");
}

Precision parse_precision(const std::string& text) {
    if (text == "float32" || text == "f32") return Precision::Float32;
    if (text == "float64" || text == "f64") return Precision::Float64;
    throw UsageError("--precision: expected float32 or float64, got '" + text + "'");
}

const char* to_string(DeviceKind d) {
    switch (d) {
        case DeviceKind::Auto: return "auto";
        case DeviceKind::Cpu: return "cpu";
        case DeviceKind::Cuda: return "cuda";
    }
    return "?";
}

const char* to_string(Precision p) { return p == Precision::Float32 ? "float32" : "float64"; }

bool cuda_available() { return torch::cuda::is_available(); }

DeviceKind resolve_device(DeviceKind requested) {
    const bool have_cuda = cuda_available();
    if (requested == DeviceKind::Auto) return have_cuda ? DeviceKind::Cuda : DeviceKind::Cpu;
    if (requested == DeviceKind::Cuda && !have_cuda) {
        throw UsageError(
            "--device cuda: no CUDA device available (this build's LibTorch " +
            std::string(torch::cuda::is_available() ? "has" : "lacks or cannot reach") +
            " CUDA; rebuild against a CUDA LibTorch or use --device cpu)");
    }
    return requested;
}

void flush_denormals() { at::globalContext().setFlushDenormal(true); }

void set_threads(int n) {
    if (n < 0) throw UsageError("--threads: must be 0 (default) or a positive number");
    if (n == 0) {
        // LibTorch's own default counts physical cores as it sees them, and
        // Debian's build saw one on a 2-vCPU machine: every tool ran on one
        // thread. OMP_NUM_THREADS is LibTorch's already.
        const char* env = std::getenv("OMP_NUM_THREADS");
        if (env && std::atoi(env) > 0) return;
        n = default_thread_count();
    }
    at::set_num_threads(n);
    limit_blas_threads(n);
}

int get_threads() { return at::get_num_threads(); }

std::string torch_version() {
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

std::string geoenc_version() { return GEOENC_VERSION; }

}  // namespace geoenc
