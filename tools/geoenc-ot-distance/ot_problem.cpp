#include "ot_problem.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/errors.h"
#include "io/geodesic_cost.h"
#include "ot/embedding_cost.h"
#include "ot/exact_ot.h"
#include "ot/gibbs_kernel.h"
#include "ot/ground_cost.h"
#include "ot/sinkhorn.h"

namespace geoenc::tools {

EpsRule parse_eps(const std::string& text) {
    EpsRule r;
    r.text = text;
    char* end = nullptr;
    errno = 0;
    r.value = std::strtod(text.c_str(), &end);
    const std::string unit = end ? std::string(end) : "";
    if (text.empty() || end == text.c_str() || errno || !(r.value > 0) || !std::isfinite(r.value))
        throw UsageError("--eps: expected a positive number, NUMBERkm, FRACTIONmax or FRACTIONmedian, got '" + text + "'");
    if (unit.empty()) r.kind = EpsRule::Kind::Absolute;
    else if (unit == "km") r.kind = EpsRule::Kind::Km;
    else if (unit == "max") r.kind = EpsRule::Kind::OfMax;
    else if (unit == "median") r.kind = EpsRule::Kind::OfMedian;
    else throw UsageError("--eps: unknown unit '" + unit + "' in '" + text + "' (use km, max or median)");
    return r;
}

std::string cost_name(CostKind k) {
    switch (k) {
        case CostKind::Haversine: return "haversine";
        case CostKind::Geodesic: return "geodesic";
        case CostKind::Embedding: return "embedding";
        case CostKind::Mix: return "mix";
    }
    return "";
}

std::string solver_name(SolverKind k) {
    switch (k) {
        case SolverKind::Exact: return "exact";
        case SolverKind::Sinkhorn: return "sinkhorn";
        case SolverKind::Divergence: return "divergence";
        case SolverKind::GeoSpot: return "geospot";
    }
    return "";
}

std::string cost_units(const ProblemSettings& s) {
    if (s.cost == CostKind::Embedding || s.cost == CostKind::Mix) return "";
    return s.p == 1 ? "km" : "km^2";
}

namespace {

// A cost and whatever it refers to, kept alive together.
struct OwnedCost {
    ot::UnitVectors us, ut;
    std::vector<std::unique_ptr<ot::CostFunction>> parts;
    const ot::CostFunction* cost = nullptr;

    template <class T, class... A>
    const ot::CostFunction& add(A&&... args) {
        parts.push_back(std::make_unique<T>(std::forward<A>(args)...));
        return *parts.back();
    }
};

std::unique_ptr<OwnedCost> make_cost(const Samples& a, const Samples& b, const ProblemSettings& s, bool store) {
    auto o = std::make_unique<OwnedCost>();
    const std::size_t dim = a.size() ? a.embedding.size() / a.size() : 0;
    const ot::CostFunction* c = nullptr;
    switch (s.cost) {
        case CostKind::Haversine:
            o->us = ot::to_unit_vectors(a.lon, a.lat);
            o->ut = ot::to_unit_vectors(b.lon, b.lat);
            c = &o->add<ot::SphereCost>(o->us, o->ut, s.p, s.radius_km);
            break;
        case CostKind::Geodesic:
            c = &o->add<io::GeodesicCost>(a.lon, a.lat, b.lon, b.lat, s.p);
            break;
        case CostKind::Embedding:
            c = &o->add<ot::EmbeddingCost>(a.embedding, b.embedding, dim);
            if (s.p == 2) c = &o->add<ot::SquaredCost>(*c);
            break;
        case CostKind::Mix: {
            o->us = ot::to_unit_vectors(a.lon, a.lat);
            o->ut = ot::to_unit_vectors(b.lon, b.lat);
            const auto& geo = o->add<ot::SphereCost>(o->us, o->ut, 1, s.radius_km);
            const auto& emb = o->add<ot::EmbeddingCost>(a.embedding, b.embedding, dim);
            c = &o->add<ot::MixCost>(geo, emb, s.lambda, 0.0, 0.0, s.threads);
            if (s.p == 2) c = &o->add<ot::SquaredCost>(*c);
            break;
        }
    }
    // Stored once, a cost is read many times faster than it is recomputed
    // (an ellipsoidal geodesic costs ~1 us per pair).
    if (store)
        c = &o->add<ot::DenseCost>(ot::materialize(*c, s.threads), c->rows(), c->cols());
    o->cost = c;
    return o;
}

double absolute_eps(const EpsRule& r, const ot::CostFunction& C, const ProblemSettings& s, double max_cost) {
    switch (r.kind) {
        case EpsRule::Kind::Absolute: return r.value;
        case EpsRule::Kind::Km: return s.p == 1 ? r.value : r.value * r.value;
        case EpsRule::Kind::OfMax: return r.value * max_cost;
        case EpsRule::Kind::OfMedian: return r.value * ot::cost_median(C, s.threads);
    }
    return r.value;
}

double root(double v, int p) { return p == 1 ? v : std::sqrt(std::max(0.0, v)); }

}  // namespace

StoragePlan plan_storage(std::size_t n, std::size_t m, const ProblemSettings& s, bool same) {
    StoragePlan p;
    auto take = [&](std::size_t rows, std::size_t cols) {
        const double bytes = double(rows) * double(cols) * sizeof(double);
        if (double(p.stored) + bytes > double(s.cost_memory)) return false;
        p.stored += static_cast<std::size_t>(bytes);
        return true;
    };
    p.ab = take(n, m);
    if (s.solver == SolverKind::Divergence && !same) {  // identical sides: the cross cost is the self cost
        p.aa = take(n, n);
        p.bb = take(m, m);
    }
    if (s.solver == SolverKind::Sinkhorn || s.solver == SolverKind::Divergence) p.kernel_budget = s.cost_memory - p.stored;
    return p;
}

std::size_t pair_memory(std::size_t n, std::size_t m, const ProblemSettings& s) {
    const StoragePlan p = plan_storage(n, m, s);
    const ot::SinkhornOptions defaults;
    std::size_t kernel = 0;  // one kernel alive at a time: the largest that is built
    auto consider = [&](std::size_t rows, std::size_t cols) {
        if (ot::GibbsKernel::fits(rows, cols, p.kernel_budget, defaults.kernel_min_entries))
            kernel = std::max(kernel, ot::GibbsKernel::bytes(rows, cols));
    };
    consider(n, m);
    if (s.solver == SolverKind::Divergence) {
        consider(n, n);
        consider(m, m);
    }
    return p.stored + kernel;
}

// A Sinkhorn run whose numbers are not finite broke down (an eps so small or
// large that double precision cannot hold the kernel): an error, not a
// distance of 0 or 1e177 with a warning.
static const PairResult& finite_or_error(const PairResult& r) {
    auto g = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", v);
        return std::string(buf);
    };
    if (!std::isfinite(r.marginal_error) || !std::isfinite(r.distance))
        throw DataError("Sinkhorn broke down at eps = " + g(r.eps) + " (max cost " + g(r.max_cost) +
                        "): marginal error " + g(r.marginal_error) + "; choose an --eps nearer the costs (e.g. 0.01max)");
    return r;
}

PairResult identical_pair(const Samples& a, const ProblemSettings& s) {
    PairResult r;
    r.max_cost = ot::cost_max(*make_cost(a, a, s, false)->cost, s.threads);
    r.status = "identical";
    return r;
}

PairResult solve_pair(const Samples& a, const Samples& b, const ProblemSettings& s) {
    PairResult r;
    const bool same = s.solver == SolverKind::Divergence && identical(a, b);
    const StoragePlan storage = plan_storage(a.size(), b.size(), s, same);
    const auto cab = make_cost(a, b, s, storage.ab);
    const ot::CostFunction& C = *cab->cost;
    r.max_cost = ot::cost_max(C, s.threads);

    if (s.solver == SolverKind::Exact) {
        std::vector<ot::Flow> flows;
        const ot::ExactResult e = ot::exact_ot(a.mass, b.mass, C, s.threads, s.want_flows ? &flows : nullptr);
        if (!e.optimal()) throw DataError("exact OT between " + a.name + " and " + b.name + ": " + e.status_text());
        r.ot_cost = e.cost;
        r.distance = root(e.cost, s.p);
        r.status = e.status_text();
        if (s.want_flows) r.flows = ot::select_flows(std::move(flows), s.flows);
        return r;
    }
    if (s.solver == SolverKind::GeoSpot) {
        const ot::GeoSpotResult g = ot::geospot_sinkhorn(a.mass, b.mass, C, s.threads, r.max_cost);
        r.ot_cost = r.distance = g.value_normalised;
        r.linear = g.value_times_max;
        r.eps = 0.01 * g.max_cost;
        r.iterations = g.niter;
        r.marginal_error = g.last_err;
        r.converged = g.converged;
        r.status = g.converged ? "converged" : "not converged";
        if (s.want_flows && g.max_cost > 0) {
            const ot::ScaledCost M(C, 1.0 / g.max_cost);
            r.flows = ot::sinkhorn_flows(M, g.f, g.g, 0.01, s.flows, s.threads);
            for (auto& f : r.flows) f.cost *= g.max_cost;
        }
        return finite_or_error(r);
    }

    ot::SinkhornOptions o;
    o.eps = absolute_eps(s.eps, C, s, r.max_cost);
    o.tol = s.tol;
    o.max_iter = s.max_iter;
    o.threads = s.threads;
    o.kernel_memory = storage.kernel_budget;
    o.eps_start = r.max_cost;  // eps scaling starts at max C: known already, not another pass over C
    r.eps = o.eps;
    if (!(r.max_cost > 0)) {  // every pair at distance 0: nothing to move
        r.status = "converged";
        return r;
    }
    if (s.solver == SolverKind::Sinkhorn) {
        const ot::SinkhornResult k = ot::sinkhorn(a.mass, b.mass, C, o);
        r.linear = r.ot_cost = k.linear;
        r.entropic = k.kl_objective;
        r.distance = root(k.linear, s.p);
        r.iterations = k.iterations;
        r.marginal_error = k.marginal_error;
        r.converged = k.converged;
        r.status = k.converged ? "converged" : "not converged";
        finite_or_error(r);
        if (s.want_flows) r.flows = ot::sinkhorn_flows(C, k.f, k.g, o.eps, s.flows, s.threads);
        return r;
    }
    // Divergence: the self costs of each side, with the same absolute eps.
    const auto caa = same ? nullptr : make_cost(a, a, s, storage.aa);
    const auto cbb = same ? nullptr : make_cost(b, b, s, storage.bb);
    const ot::DivergenceResult d =
        ot::sinkhorn_divergence(a.mass, b.mass, C, same ? C : *caa->cost, same ? C : *cbb->cost, o, same);
    r.ot_cost = d.kl;
    r.divergence_linear = d.linear;
    r.linear = d.ab.linear;
    r.entropic = d.ab.kl_objective;
    r.distance = root(std::max(0.0, d.kl), s.p);
    r.iterations = d.ab.iterations + (same ? 0 : d.aa.iterations + d.bb.iterations);
    r.marginal_error = std::max({d.ab.marginal_error, d.aa.marginal_error, d.bb.marginal_error});
    r.converged = d.ab.converged && d.aa.converged && d.bb.converged;
    r.status = r.converged ? "converged" : "not converged";
    finite_or_error(r);
    if (s.want_flows) r.flows = ot::sinkhorn_flows(C, d.ab.f, d.ab.g, o.eps, s.flows, s.threads);
    return r;
}

}  // namespace geoenc::tools
