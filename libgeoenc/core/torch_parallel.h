#pragma once
// at::parallel_for for geoenc's own loops. LibTorch here is an OpenMP build and
// the loop's OpenMP body is inline in ATen's headers: a file that uses it
// without -fopenmp compiles, runs, and silently does all the work on one
// thread (the separable grid encoder did, for three sessions). So every file
// that parallelises with LibTorch's pool includes this header and is listed in
// GEOENC_OPENMP_SOURCES (libgeoenc/CMakeLists.txt), and forgetting the second
// step stops the build.
#include <ATen/Parallel.h>

#ifndef _OPENMP
#error "this file uses at::parallel_for: add it to GEOENC_OPENMP_SOURCES in libgeoenc/CMakeLists.txt (or bench/CMakeLists.txt)"
#endif

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace geoenc {

// f(task, worker) for every task in [0, n), on LibTorch's threads, each thread
// taking the next task when it is done with one. at::parallel_for splits its
// range in equal static parts, so one thread slowed down by other work (the
// raster writer's compression, another process) keeps the rest waiting at
// the end of the region; here the others take over its remaining tasks.
// worker < at::get_num_threads() indexes per-thread scratch space.
template <class F>
void parallel_tasks(std::int64_t n, const F& f) {
    if (n <= 0) return;
    std::atomic<std::int64_t> next{0};
    const std::int64_t workers = std::min<std::int64_t>(n, std::max(1, at::get_num_threads()));
    at::parallel_for(0, workers, 1, [&](std::int64_t, std::int64_t) {
        const int worker = at::get_thread_num();
        try {
            for (std::int64_t t = next++; t < n; t = next++) f(t, worker);
        } catch (...) {
            next = n;  // the others stop after their current task; ATen rethrows the first error
            throw;
        }
    });
}

}  // namespace geoenc
