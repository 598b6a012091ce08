#include "core/separable_grid_encoder.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/blas_runtime.h"
#include "core/torch_parallel.h"
#include "core/spherical_harmonics_detail.h"

namespace geoenc {

namespace {

// Pixels per first-layer product: as the point-wise encoder's chunks, the
// activations of a chunk stay in cache through the network.
constexpr std::size_t kColumnChunk = 512;

std::uint64_t bits_of(double v) {
    std::uint64_t b;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

// What one latitude needs, computed once and shared by every column.
struct RowTerms {
    std::vector<double> q;  // [l*l + l + m]: P_l^|m|(theta), the Legendre factor of feature lm
    at::Tensor a;           // with a network: (2L-1) x width, A[m + L-1][j] = sum_l W[j][lm] q[lm]
};

struct Worker {
    at::Tensor first, out;
    std::vector<at::Tensor> scratch;
    std::vector<double> values;  // the chunk handed to the sink
};

template <typename T>
class SeparableGridEncoder final : public GridEncoder {
public:
    SeparableGridEncoder(int L, ShConvention conv, const std::optional<Network>& net)
        : L_(L), K_(2 * L - 1), rec_(ShRecurrence::get(L, conv)), net_(net) {
        if (net_) {
            w1_ = net_->first_weight_t().to(at::kDouble).contiguous();  // exact: float -> double
            width_ = w1_.size(1);
            bias_ = net_->first_bias();
        }
    }

    std::size_t dim() const override { return std::size_t(net_ ? net_->out_dim() : int64_t(L_) * L_); }
    void set_row_cache(std::size_t rows) override { capacity_ = std::max<std::size_t>(1, rows); }

    using GridEncoder::encode_rows;
    void encode_rows(const double* lat, std::size_t rows, const double* lon, std::size_t cols,
                     const ChunkSink& sink) override {
        if (rows == 0 || cols == 0) return;
        SingleThreadedBlas blas_guard;
        std::vector<const RowTerms*> terms = row_terms(lat, rows);
        const std::vector<double> trig = column_trig(lon, cols);
        const std::size_t d = dim();
        workers_.resize(std::size_t(std::max(1, at::get_num_threads())));
        if (!net_) {
            at::parallel_for(0, int64_t(rows), 1, [&](int64_t r0, int64_t r1) {
                std::vector<double>& buf = workers_[std::size_t(at::get_thread_num()) % workers_.size()].values;
                buf.resize(cols * d);
                for (int64_t r = r0; r < r1; ++r) {
                    harmonics_row(*terms[std::size_t(r)], trig.data(), cols, buf.data());
                    sink(std::size_t(r), 0, cols, buf.data());
                }
            });
            return;
        }
        // The column factors in the network's dtype, as the left operand of the product.
        at::Tensor trig_t = at::from_blob(const_cast<double*>(trig.data()), {int64_t(cols), int64_t(K_)}, at::kDouble)
                                .to(dtype(), /*non_blocking=*/false, /*copy=*/true);
        // A task is a chunk of one row's columns or, for rows shorter than half a
        // chunk (a 256-pixel window), several whole rows stacked: the layers after
        // the first then multiply about kColumnChunk pixels at a time either way
        // (measured ~5% faster than 256-row products).
        const std::size_t group = std::max<std::size_t>(1, kColumnChunk / cols);
        const std::size_t chunks = group > 1 ? 1 : (cols + kColumnChunk - 1) / kColumnChunk;
        const std::size_t row_tasks = (rows + group - 1) / group;
        parallel_tasks(int64_t(row_tasks * chunks), [&](int64_t t, int worker) {
            Worker& w = workers_[std::size_t(worker) % workers_.size()];
            const std::size_t r0 = std::size_t(t) / chunks * group, c0 = std::size_t(t) % chunks * kColumnChunk;
            const std::size_t n = std::min(kColumnChunk, cols - c0), nr = std::min(group, rows - r0);
            network_chunk(w, terms.data() + r0, nr, trig_t.narrow(0, int64_t(c0), int64_t(n)));
            for (std::size_t i = 0; i < nr; ++i) sink(r0 + i, c0, n, w.values.data() + i * n * d);
        });
    }

private:
    static at::ScalarType dtype() { return std::is_same_v<T, float> ? at::kFloat : at::kDouble; }

    // Per-row terms for every requested latitude: cached ones reused, the others
    // computed in parallel; beyond the capacity the least recently used go.
    std::vector<const RowTerms*> row_terms(const double* lat, std::size_t rows) {
        ++call_;
        std::vector<double> missing;
        for (std::size_t r = 0; r < rows; ++r) {
            auto it = cache_.find(bits_of(lat[r]));
            if (it != cache_.end()) it->second.used = call_;
            else if (std::none_of(missing.begin(), missing.end(), [&](double v) { return bits_of(v) == bits_of(lat[r]); }))
                missing.push_back(lat[r]);
        }
        std::vector<RowTerms> fresh(missing.size());
        at::parallel_for(0, int64_t(missing.size()), 1, [&](int64_t i0, int64_t i1) {
            for (int64_t i = i0; i < i1; ++i) fresh[std::size_t(i)] = compute_row(missing[std::size_t(i)]);
        });
        for (std::size_t i = 0; i < missing.size(); ++i) cache_[bits_of(missing[i])] = {std::move(fresh[i]), call_};
        if (cache_.size() > capacity_) {
            std::vector<std::pair<std::uint64_t, std::uint64_t>> by_age;  // (last use, key)
            for (const auto& [key, e] : cache_)
                if (e.used != call_) by_age.emplace_back(e.used, key);
            std::sort(by_age.begin(), by_age.end());
            for (std::size_t i = 0; i < by_age.size() && cache_.size() > capacity_; ++i) cache_.erase(by_age[i].second);
        }
        std::vector<const RowTerms*> out(rows);
        for (std::size_t r = 0; r < rows; ++r) out[r] = &cache_.at(bits_of(lat[r])).terms;
        return out;
    }

    // The recurrence of the harmonics kernel (core/spherical_harmonics.cpp), in
    // the same order, for one latitude.
    RowTerms compute_row(double lat) const {
        const AngleTerms at_ = angle_terms(rec_.conv, 0.0, lat);
        const double x = at_.x, s = at_.s;
        std::vector<double> p(std::size_t(L_) * L_, 0.0);  // [l*L + m]
        auto P = [&](int l, int m) -> double& { return p[std::size_t(l) * L_ + m]; };
        P(0, 0) = kY00;
        for (int l = 1; l < L_; ++l) {
            for (int m = 0; m + 2 <= l; ++m) P(l, m) = rec_.a(l, m) * (x * P(l - 1, m) - rec_.b(l, m) * P(l - 2, m));
            const double pmm = P(l - 1, l - 1);
            P(l, l - 1) = rec_.first[l - 1] * x * pmm;
            P(l, l) = pmm * (rec_.diag[l] * s);
        }
        RowTerms t;
        t.q.resize(std::size_t(L_) * L_);
        for (int l = 0; l < L_; ++l)
            for (int m = -l; m <= l; ++m) t.q[std::size_t(l * l + l + m)] = P(l, std::abs(m));
        if (net_) {
            std::vector<double> a(std::size_t(K_) * width_, 0.0);
            const double* w = w1_.data_ptr<double>();
            for (int l = 0; l < L_; ++l)
                for (int m = -l; m <= l; ++m) {
                    const std::size_t lm = std::size_t(l * l + l + m);
                    const double q = t.q[lm];
                    double* dst = a.data() + std::size_t(m + L_ - 1) * width_;
                    const double* src = w + lm * width_;
                    for (int64_t j = 0; j < width_; ++j) dst[j] += q * src[j];
                }
            // A copy in the network's dtype (from_blob only borrows `a`).
            t.a = at::from_blob(a.data(), {K_, width_}, at::kDouble).to(dtype(), /*non_blocking=*/false, /*copy=*/true);
        }
        return t;
    }

    // [c * K + m + L-1]: the column factor of order m: the m = 0 scale, sqrt(2) cos(m phi)
    // for m > 0, sqrt(2) sin(|m| phi) for m < 0; cos/sin(m phi) by the kernel's complex rotation.
    std::vector<double> column_trig(const double* lon, std::size_t cols) const {
        std::vector<double> t(cols * std::size_t(K_));
        for (std::size_t c = 0; c < cols; ++c) {
            const double phi = angle_terms(rec_.conv, lon[c], 0.0).phi;
            const double c1 = std::cos(phi), s1 = std::sin(phi);
            double* row = t.data() + c * std::size_t(K_);
            const int z = L_ - 1;
            row[z] = rec_.m0_scale;
            double cm = 1.0, sm = 0.0;
            for (int m = 1; m < L_; ++m) {
                const double cn = cm * c1 - sm * s1;
                sm = sm * c1 + cm * s1;
                cm = cn;
                row[z + m] = kSqrt2 * cm;
                row[z - m] = kSqrt2 * sm;
            }
        }
        return t;
    }

    void harmonics_row(const RowTerms& rt, const double* trig, std::size_t cols, double* out) const {
        const std::size_t d = std::size_t(L_) * L_;
        for (std::size_t c = 0; c < cols; ++c) {
            const double* tc = trig + c * std::size_t(K_) + (L_ - 1);
            double* o = out + c * d;
            for (int l = 0; l < L_; ++l)
                for (int m = -l; m <= l; ++m) o[l * l + l + m] = rt.q[std::size_t(l * l + l + m)] * tc[m];
        }
    }

    // Rows terms[0..nr) over the same columns (`trig`, n of them): their first
    // layers stacked into one (nr * n) x width matrix, then the rest of the network.
    void network_chunk(Worker& w, const RowTerms* const* terms, std::size_t nr, const at::Tensor& trig) {
        const int64_t n = trig.size(0), m = n * int64_t(nr);
        if (!w.first.defined() || w.first.size(0) != m) w.first = at::empty({m, width_}, trig.options());
        for (std::size_t i = 0; i < nr; ++i) {
            at::Tensor part = w.first.narrow(0, int64_t(i) * n, n);
            if (bias_.defined()) at::addmm_out(part, bias_, trig, terms[i]->a);
            else at::mm_out(part, trig, terms[i]->a);
        }
        net_->forward_after_first(w.first, w.out, w.scratch);
        const T* src = w.out.data_ptr<T>();
        const std::size_t count = std::size_t(m) * dim();
        w.values.resize(count);
        for (std::size_t i = 0; i < count; ++i) w.values[i] = double(src[i]);
    }

    const int L_;
    const int64_t K_;
    const ShRecurrence& rec_;
    std::optional<Network> net_;
    at::Tensor w1_, bias_;
    int64_t width_ = 0;
    std::size_t capacity_ = 256;
    struct Cached {
        RowTerms terms;
        std::uint64_t used = 0;  // the call that last used it
    };
    std::unordered_map<std::uint64_t, Cached> cache_;  // by the latitude's bits
    std::uint64_t call_ = 0;
    std::vector<Worker> workers_;
};

}  // namespace

std::unique_ptr<GridEncoder> make_separable_grid_encoder(int L, ShConvention conv, const std::optional<Network>& net,
                                                         Precision precision) {
    if (precision == Precision::Float64) return std::make_unique<SeparableGridEncoder<double>>(L, conv, net);
    return std::make_unique<SeparableGridEncoder<float>>(L, conv, net);
}

}  // namespace geoenc
