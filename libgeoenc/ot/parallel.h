#pragma once
// Work-sharing loop over [0, n) in blocks on std::thread (same scheme as
// stats/parallel.h, kept local so geoenc_ot depends on nothing else).
// Results never depend on how blocks land on threads: every block writes
// only its own outputs, and reductions are done per block, in block order.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace geoenc::ot {

// threads <= 0: std::thread::hardware_concurrency().
inline int resolve_threads(int threads) {
    if (threads > 0) return threads;
    const unsigned hc = std::thread::hardware_concurrency();
    return hc == 0 ? 1 : static_cast<int>(hc);
}

// Calls fn(block_index, begin, end) for blocks of at most `block` items.
template <class Fn>
void parallel_blocks(std::int64_t n, std::int64_t block, int threads, Fn&& fn) {
    if (n <= 0) return;
    block = std::max<std::int64_t>(1, block);
    const std::int64_t nblocks = (n + block - 1) / block;
    const int nt = static_cast<int>(std::min<std::int64_t>(resolve_threads(threads), nblocks));
    if (nt <= 1) {
        for (std::int64_t b = 0; b < nblocks; ++b) fn(b, b * block, std::min(n, (b + 1) * block));
        return;
    }
    std::atomic<std::int64_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto worker = [&]() {
        try {
            for (std::int64_t b = next++; b < nblocks; b = next++) fn(b, b * block, std::min(n, (b + 1) * block));
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (!error) error = std::current_exception();
            next = nblocks;
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(nt - 1));
    for (int t = 1; t < nt; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace geoenc::ot
