#include "stats_tensor/tensor_permutations.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <mutex>
#include <string>

#include "core/errors.h"

namespace geoenc::stats {

namespace {

// Bytes of drawn indices per chunk (int64, sites x permutations x k_max).
constexpr double kChunkBytesCuda = 512.0 * (1 << 20);
constexpr double kChunkBytesCpu = 64.0 * (1 << 20);
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
                     shift = from(t.shift.data(), n);
    wpad = wpad.to(device);
    count = count.to(device);
    const at::Tensor lane = at::arange(K, i64.device(device));  // 0..K-1
    const at::Tensor sentinel = lane + n;                      // distinct, never a site

    at::Generator gen = device.is_cuda() ? at::globalContext().defaultGenerator(device)
                                         : at::make_generator<at::CPUGeneratorImpl>(t.seed);
    {
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_current_seed(t.seed);
    }
    const double budget = device.is_cuda() ? kChunkBytesCuda : kChunkBytesCpu;
    // Neighbourhoods large against the n - 1 others (as the C++ engine's
    // shuffle threshold) would make repeats the rule: there each permutation
    // ranks n - 1 random keys and takes the first k, a uniform k-subset.
    const std::int64_t m = n - 1;
    const bool by_keys = K * 8 > m;
    const double per_site = double(P) * (by_keys ? double(m) * 12.0 : double(K) * 8.0);
    const std::int64_t S = std::max<std::int64_t>(1, std::int64_t(budget / per_site));
    const auto idx_opts = i64.device(device);

    for (std::int64_t c0 = 0; c0 < n; c0 += S) {
        const std::int64_t c1 = std::min(n, c0 + S), s = c1 - c0;
        const at::Tensor valid = (lane.view({1, 1, K}) < count.narrow(0, c0, s).view({s, 1, 1})).expand({s, P, K});
        // Draws in [0, n - 1): the other sites, numbered around site i.
        at::Tensor idx;
        if (by_keys) {
            const at::Tensor keys = at::rand({s, P, m}, gen, f64.device(device));
            idx = at::where(valid, keys.argsort(/*dim=*/int64_t{-1}, /*descending=*/false).narrow(-1, 0, K), sentinel.view({1, 1, K}));
        } else {
            idx = at::where(valid, at::randint(0, n - 1, {s, P, K}, gen, idx_opts), sentinel.view({1, 1, K}));
        }
        for (int round = 0; !by_keys; ++round) {
            const at::Tensor sorted = std::get<0>(idx.sort(-1));
            const at::Tensor dup = (sorted.narrow(-1, 1, K - 1) == sorted.narrow(-1, 0, K - 1)).any(-1);  // [s, P]
            const std::int64_t redo = dup.sum().item<std::int64_t>();
            if (redo == 0) break;
            if (round >= kMaxRedraws)
                throw DataError("local Moran's I: could not draw distinct neighbours (sites " + std::to_string(c0) +
                                "-" + std::to_string(c1 - 1) + ")");
            const at::Tensor fresh = at::randint(0, n - 1, {redo, K}, gen, idx_opts);
            idx.index_put_({dup}, at::where(valid.index({dup}), fresh, sentinel.view({1, K})));
        }
        const at::Tensor site = at::arange(c0, c1, idx_opts).view({s, 1, 1});
        const at::Tensor other = at::where(valid, idx + (idx >= site).to(at::kLong), at::zeros({}, idx_opts));
        const at::Tensor lag = (z.index({other}) * wpad.narrow(0, c0, s).view({s, 1, K})).sum(-1);  // [s, P]
        const at::Tensor sim = lag * zi.narrow(0, c0, s).view({s, 1});
        const at::Tensor o = obs.narrow(0, c0, s).view({s, 1});
        const at::Tensor d = sim - shift.narrow(0, c0, s).view({s, 1});
        const at::Tensor ge = (sim >= o).sum(1).to(at::kInt).cpu(), le = (sim <= o).sum(1).to(at::kInt).cpu();
        const at::Tensor sum = d.sum(1).cpu(), sum2 = (d * d).sum(1).cpu();
        std::copy_n(ge.data_ptr<std::int32_t>(), s, out.ge.begin() + c0);
        std::copy_n(le.data_ptr<std::int32_t>(), s, out.le.begin() + c0);
        std::copy_n(sum.data_ptr<double>(), s, out.sum.begin() + c0);
        std::copy_n(sum2.data_ptr<double>(), s, out.sum2.begin() + c0);
        if (t.keep) {
            const at::Tensor kept = sim.cpu().contiguous();
            std::copy_n(kept.data_ptr<double>(), s * P, t.keep + c0 * P);
        }
    }
}

}  // namespace

void tensor_local_permutations_cpu(const LocalPermutationTask& task, LocalPermutationSums& sums) {
    run(task, sums, at::Device(at::kCPU));
}

void tensor_local_permutations_cuda(const LocalPermutationTask& task, LocalPermutationSums& sums) {
    run(task, sums, at::Device(at::kCUDA));
}

}  // namespace geoenc::stats
