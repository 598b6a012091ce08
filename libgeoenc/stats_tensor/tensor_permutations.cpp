#include "stats_tensor/tensor_permutations.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <mutex>
#include <string>

#include "core/errors.h"

namespace geoenc::stats {

namespace {

// Bytes of working tensors per chunk (sites x permutations x k_max entries).
constexpr double kChunkBytesCuda = 512.0 * (1 << 20);
double g_chunk_bytes_cpu = 64.0 * (1 << 20);  // tests shrink it (set_tensor_chunk_bytes_cpu)
constexpr int kMaxRedraws = 10000;

void run(const LocalPermutationTask& t, LocalPermutationSums& out, const at::Device device) {
    const std::int64_t n = t.n, P = t.permutations;
    out.ge.assign(n, 0);
    out.le.assign(n, 0);
    out.sum.assign(n, 0.0);
    out.sum2.assign(n, 0.0);
    if (n == 0 || P == 0) return;
    std::int64_t K = 1;
    for (std::int64_t i = 0; i < n; ++i) K = std::max(K, t.offsets[i + 1] - t.offsets[i]);

    // Per-site inputs, weights padded to K with zeros.
    const auto f64 = at::TensorOptions().dtype(at::kDouble);
    const auto i64 = at::TensorOptions().dtype(at::kLong);
    at::Tensor wpad = at::zeros({n, K}, f64), count = at::empty({n}, i64);
    {
        double* w = wpad.data_ptr<double>();
        std::int64_t* c = count.data_ptr<std::int64_t>();
        for (std::int64_t i = 0; i < n; ++i) {
            c[i] = t.offsets[i + 1] - t.offsets[i];
            std::copy(t.weights.begin() + t.offsets[i], t.weights.begin() + t.offsets[i + 1], w + i * K);
        }
    }
    auto from = [&](const double* p, std::int64_t len) {
        return at::from_blob(const_cast<double*>(p), {len}, f64).to(device, /*non_blocking=*/false, /*copy=*/true);
    };
    const at::Tensor z = from(t.z, n), zi = from(t.zi_scaled.data(), n), obs = from(t.observed.data(), n),
                     shift = from(t.shift.data(), n), self_lag = from(t.self_lag.data(), n);
    wpad = wpad.to(device);
    count = count.to(device);
    const at::Tensor lane = at::arange(K, i64.device(device));  // 0..K-1
    const at::Tensor sentinel = lane + n;                      // distinct, never a site

    // A generator of our own (a clone of the device's default, for CUDA): the
    // process-wide one is neither reseeded nor shared with other draws.
    at::Generator gen = device.is_cuda() ? at::globalContext().defaultGenerator(device).clone()
                                         : at::make_generator<at::CPUGeneratorImpl>(t.seed);
    {
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_current_seed(t.seed);
    }
    const double budget = device.is_cuda() ? kChunkBytesCuda : g_chunk_bytes_cpu;
    // Neighbourhoods large against the n - 1 others (the C++ engine's shuffle
    // threshold) would make repeats the rule: there each permutation ranks
    // n - 1 random keys and takes the first k, a uniform k-subset.
    const std::int64_t m = n - 1;
    const bool by_keys = K * 8 > m;
    // Bytes live per drawn entry: keys, sort values and indices (ranked keys), or
    // the draws, their sort, the mapped indices, the gathered values and products.
    const double per_entry = by_keys ? 24.0 * double(m) / double(K) : 64.0;
    const double per_perm = per_entry * double(K);
    // Permutations in blocks when one site's would not fit; sites in chunks.
    const std::int64_t PB = std::max<std::int64_t>(1, std::min<std::int64_t>(P, std::int64_t(budget / per_perm)));
    const std::int64_t S = std::max<std::int64_t>(1, std::int64_t(budget / (per_perm * double(PB))));
    const auto idx_opts = i64.device(device);
    const at::Tensor first_lane = at::zeros({1, 1, 1}, at::TensorOptions().dtype(at::kBool).device(device));

    for (std::int64_t c0 = 0; c0 < n; c0 += S) {
        const std::int64_t c1 = std::min(n, c0 + S), s = c1 - c0;
        const at::Tensor site = at::arange(c0, c1, idx_opts).view({s, 1, 1});
        const at::Tensor w = wpad.narrow(0, c0, s).view({s, 1, K});
        const at::Tensor o = obs.narrow(0, c0, s).view({s, 1});
        const at::Tensor sh = shift.narrow(0, c0, s).view({s, 1});
        at::Tensor ge = at::zeros({s}, idx_opts), le = at::zeros({s}, idx_opts);
        at::Tensor sum = at::zeros({s}, f64.device(device)), sum2 = at::zeros({s}, f64.device(device));
        for (std::int64_t p0 = 0; p0 < P; p0 += PB) {
            const std::int64_t pb = std::min(PB, P - p0);
            const at::Tensor valid = (lane.view({1, 1, K}) < count.narrow(0, c0, s).view({s, 1, 1})).expand({s, pb, K});
            // Draws in [0, n - 1): the other sites, numbered around site i.
            at::Tensor idx;
            if (by_keys) {
                const at::Tensor keys = at::rand({s, pb, m}, gen, at::TensorOptions().dtype(at::kFloat).device(device));
                idx = at::where(valid, keys.argsort(/*dim=*/int64_t{-1}, /*descending=*/false).narrow(-1, 0, K),
                                sentinel.view({1, 1, K}));
            } else {
                idx = at::where(valid, at::randint(0, n - 1, {s, pb, K}, gen, idx_opts), sentinel.view({1, 1, K}));
            }
            // A draw equal to one in an earlier lane is drawn again until none is:
            // the rule never looks at the values' labels, so the result is uniform
            // over the ordered k-tuples of distinct sites (as the C++ engine's).
            for (int round = 0; !by_keys; ++round) {
                const auto sorted = idx.sort(/*stable=*/true, /*dim=*/-1, /*descending=*/false);
                const at::Tensor& v = std::get<0>(sorted);
                const at::Tensor repeat = at::cat({first_lane.expand({s, pb, 1}), v.narrow(-1, 1, K - 1) == v.narrow(-1, 0, K - 1)}, -1);
                if (!repeat.any().item<bool>()) break;
                if (round >= kMaxRedraws)
                    throw DataError("local Moran's I: could not draw distinct neighbours (sites " + std::to_string(c0) +
                                    "-" + std::to_string(c1 - 1) + ")");
                // Back to lane order: the stable sort puts a value's earliest lane first.
                const at::Tensor again = at::zeros_like(repeat).scatter_(-1, std::get<1>(sorted), repeat);
                idx = at::where(again, at::randint(0, n - 1, {s, pb, K}, gen, idx_opts), idx);
            }
            const at::Tensor other = at::where(valid, idx + (idx >= site).to(at::kLong), at::zeros({}, idx_opts));
            const at::Tensor sim = ((z.index({other}) * w).sum(-1) + self_lag.narrow(0, c0, s).view({s, 1})) *
                                   zi.narrow(0, c0, s).view({s, 1});  // [s, pb]
            const at::Tensor d = sim - sh;
            ge += (sim >= o).sum(1);
            le += (sim <= o).sum(1);
            sum += d.sum(1);
            sum2 += (d * d).sum(1);
            if (t.keep) {
                const at::Tensor kept = sim.cpu().contiguous();
                for (std::int64_t a = 0; a < s; ++a)
                    std::copy_n(kept.data_ptr<double>() + a * pb, pb, t.keep + (c0 + a) * P + p0);
            }
        }
        const at::Tensor ge_h = ge.to(at::kInt).cpu(), le_h = le.to(at::kInt).cpu(), sum_h = sum.cpu(), sum2_h = sum2.cpu();
        std::copy_n(ge_h.data_ptr<std::int32_t>(), s, out.ge.begin() + c0);
        std::copy_n(le_h.data_ptr<std::int32_t>(), s, out.le.begin() + c0);
        std::copy_n(sum_h.data_ptr<double>(), s, out.sum.begin() + c0);
        std::copy_n(sum2_h.data_ptr<double>(), s, out.sum2.begin() + c0);
    }
}

// LibTorch's errors (a CUDA out-of-memory, a missing kernel) as geoenc's, without
// the C++ backtrace, naming the device.
void run_reporting(const LocalPermutationTask& t, LocalPermutationSums& out, const at::Device device) {
    try {
        run(t, out, device);
    } catch (const c10::Error& e) {
        throw DataError(std::string("local Moran's I permutations on ") + (device.is_cuda() ? "CUDA" : "the CPU") +
                        ": " + e.what_without_backtrace() + (device.is_cuda() ? " (--device cpu avoids the GPU)" : ""));
    }
}

}  // namespace

void set_tensor_chunk_bytes_cpu(double bytes) { g_chunk_bytes_cpu = bytes; }

void tensor_local_permutations_cpu(const LocalPermutationTask& task, LocalPermutationSums& sums) {
    run_reporting(task, sums, at::Device(at::kCPU));
}

void tensor_local_permutations_cuda(const LocalPermutationTask& task, LocalPermutationSums& sums) {
    run_reporting(task, sums, at::Device(at::kCUDA));
}

}  // namespace geoenc::stats
