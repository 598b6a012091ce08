#pragma once
#include <string>

// Keeping the BLAS behind LibTorch fast on this hardware.
//
// The encoder runs its own parallel loop over chunks of points, each thread
// doing whole matrix products. OpenBLAS's pthread pool must then stay out of
// the way: two pools on two cores (OpenMP workers spinning while OpenBLAS
// works) halved the encoder's throughput here. The guard makes BLAS
// single-threaded for its lifetime, when the BLAS in use is OpenBLAS.
namespace geoenc {

// Debian 12's OpenBLAS (0.3.21, DYNAMIC_ARCH) does not recognise recent Xeons
// and falls back to its Prescott (SSE3) kernels: sgemm ran 3-4x slower here
// (27-52 vs 105-147 GFLOP/s a core). Unless the user set OPENBLAS_CORETYPE,
// this re-selects the kernels the CPU can run (Cooperlake with AVX512-BF16,
// SkylakeX with AVX-512, Haswell with AVX2). Call once, before any matrix
// product. Returns the OpenBLAS core name in use, or "" when the BLAS is not
// OpenBLAS.
std::string select_blas_kernels();

// --threads N also bounds OpenBLAS's own pool (it ignores LibTorch's setting).
void limit_blas_threads(int n);

// The other way round, for loops of whole-tensor ops whose time is in the
// matrix products (training): LibTorch's own pool runs on one thread for the
// guard's lifetime while OpenBLAS keeps its threads (nothing changes when the
// BLAS is not OpenBLAS). With both pools busy,
// LibTorch's OpenMP workers spin between its (short, element-wise) parallel
// regions on the cores OpenBLAS's threads need: bench_train took 27 s instead
// of 9.5 s on 2 vCPUs.
class SerialTorchOps {
public:
    SerialTorchOps();
    ~SerialTorchOps();
    SerialTorchOps(const SerialTorchOps&) = delete;
    SerialTorchOps& operator=(const SerialTorchOps&) = delete;

private:
    int previous_ = 0;  // 0: nothing changed
};

class SingleThreadedBlas {
public:
    SingleThreadedBlas();
    ~SingleThreadedBlas();
    SingleThreadedBlas(const SingleThreadedBlas&) = delete;
    SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

private:
    int previous_ = 0;  // 0: nothing changed
};

}  // namespace geoenc
