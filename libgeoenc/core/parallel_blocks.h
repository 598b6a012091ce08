#pragma once
// A small work-sharing loop over [0, n) in blocks, on std::thread, for the
// plain-C++ libraries (stats, ot) that must not depend on LibTorch's pool.
// Results never depend on how blocks land on threads as long as each block
// writes only its own outputs (per-block reductions, per-site random streams).
#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace geoenc {

// What --threads 0 means for every tool: OMP_NUM_THREADS if set (as
// LibTorch reads it), else the CPUs this process may run on (its affinity:
// a Slurm allocation or taskset, not the whole machine).
inline int default_thread_count() {
    if (const char* env = std::getenv("OMP_NUM_THREADS"))
        if (std::atoi(env) > 0) return std::atoi(env);
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
    const unsigned hc = std::thread::hardware_concurrency();
    return hc == 0 ? 1 : static_cast<int>(hc);
}

// threads <= 0: default_thread_count().
inline int resolve_threads(int threads) { return threads > 0 ? threads : default_thread_count(); }

// Calls fn(block_index, begin, end, thread_index) for blocks of at most
// `block` items. The first exception thrown by fn stops the loop and is rethrown.
template <class Fn>
void parallel_blocks(std::int64_t n, std::int64_t block, int threads, Fn&& fn) {
    if (n <= 0) return;
    block = std::max<std::int64_t>(1, block);
    const std::int64_t nblocks = (n + block - 1) / block;
    const int nt = static_cast<int>(std::min<std::int64_t>(resolve_threads(threads), nblocks));
    if (nt <= 1) {
        for (std::int64_t b = 0; b < nblocks; ++b) fn(b, b * block, std::min(n, (b + 1) * block), 0);
        return;
    }
    std::atomic<std::int64_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto worker = [&](int t) {
        try {
            for (std::int64_t b = next++; b < nblocks; b = next++) fn(b, b * block, std::min(n, (b + 1) * block), t);
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (!error) error = std::current_exception();
            next = nblocks;
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(nt - 1));
    for (int t = 1; t < nt; ++t) pool.emplace_back(worker, t);
    worker(0);
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace geoenc
