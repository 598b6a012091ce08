#include "core/blas_runtime.h"

#include <ATen/Parallel.h>

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

namespace geoenc {

namespace {
// Looked up at run time: the BLAS behind LibTorch is chosen by Debian's
// alternatives (OpenBLAS, reference BLAS, BLIS...), not at our link time.
using SetThreads = void (*)(int);
using GetThreads = int (*)();

SetThreads set_fn() {
    static const auto fn = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    return fn;
}
GetThreads get_fn() {
    static const auto fn = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return fn;
}
template <typename Fn>
Fn symbol(const char* name) {
    return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

// OpenBLAS's names for cores too old to matter here: a sign it did not know the CPU.
bool is_fallback_core(const char* name) {
    for (const char* old : {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Katmai", "Banias"})
        if (std::strcmp(name, old) == 0) return true;
    return false;
}

}  // namespace

std::string select_blas_kernels() {
    const auto corename = symbol<char* (*)()>("openblas_get_corename");
    const auto quit = symbol<void (*)()>("gotoblas_dynamic_quit");
    const auto init = symbol<void (*)()>("gotoblas_dynamic_init");
    if (!corename) return "";
    if (std::getenv("OPENBLAS_CORETYPE") || !quit || !init || !is_fallback_core(corename())) return corename();
    __builtin_cpu_init();
    const char* wanted = __builtin_cpu_supports("avx512f")
                             ? (__builtin_cpu_supports("avx512bf16") ? "Cooperlake" : "SkylakeX")
                             : __builtin_cpu_supports("avx2") ? "Haswell" : nullptr;
    if (!wanted) return corename();
    // OpenBLAS reads OPENBLAS_CORETYPE when it (re)initialises its dispatch table.
    setenv("OPENBLAS_CORETYPE", wanted, 0);
    quit();
    init();
    unsetenv("OPENBLAS_CORETYPE");  // child processes choose for themselves
    return corename();
}

void limit_blas_threads(int n) {
    if (n > 0 && set_fn()) set_fn()(n);
}

SerialTorchOps::SerialTorchOps() {
    // Only with OpenBLAS's own pool: a LibTorch on MKL (PyTorch's) would take
    // the BLAS threads down with its own.
    if (!set_fn()) return;
    const int n = at::get_num_threads();
    if (n <= 1) return;
    previous_ = n;
    at::set_num_threads(1);  // BLAS keeps its count (set_threads, or the user's OPENBLAS_NUM_THREADS)
}

SerialTorchOps::~SerialTorchOps() {
    if (previous_ > 1) at::set_num_threads(previous_);
}

SingleThreadedBlas::SingleThreadedBlas() {
    if (!set_fn() || !get_fn()) return;
    previous_ = get_fn()();
    if (previous_ > 1) set_fn()(1);
    else previous_ = 0;
}

SingleThreadedBlas::~SingleThreadedBlas() {
    if (previous_ > 1) set_fn()(previous_);
}

}  // namespace geoenc
