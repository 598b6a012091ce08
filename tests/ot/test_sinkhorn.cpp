#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "ot/masses.h"
#include "ot/sinkhorn.h"
#include "ot_fixtures.h"

using namespace geoenc::ot;

namespace {
SinkhornOptions opts(double eps) {
    SinkhornOptions o;
    o.eps = eps;
    o.tol = 1e-12;
    o.max_iter = 500000;
    o.threads = 2;
    return o;
}

// europe_50x60 with every third source and every fourth target at mass 0, and
// the same problem without those points (what the zero masses must not change).
struct ZeroMassCase {
    std::vector<double> a, b;           // all points, some masses 0
    ot_test::Points src_kept, tgt_kept;  // the points of positive mass
};
ZeroMassCase zero_mass_case(const ot_test::Case& c) {
    ZeroMassCase z{c.src.w, c.tgt.w, {}, {}};
    for (std::size_t i = 0; i < z.a.size(); ++i) {
        if (i % 3 == 0) z.a[i] = 0.0;
        else z.src_kept.lon.push_back(c.src.lon[i]), z.src_kept.lat.push_back(c.src.lat[i]), z.src_kept.w.push_back(z.a[i]);
    }
    for (std::size_t j = 0; j < z.b.size(); ++j) {
        if (j % 4 == 0) z.b[j] = 0.0;
        else z.tgt_kept.lon.push_back(c.tgt.lon[j]), z.tgt_kept.lat.push_back(c.tgt.lat[j]), z.tgt_kept.w.push_back(z.b[j]);
    }
    return z;
}

// f(c, sphere, stored, e, eps) for every Sinkhorn reference of every case: the
// sphere cost on the fly and stored, the reference entry e and its absolute eps.
template <class F>
void for_each_sinkhorn_reference(F f) {
    for (const auto& name : ot_test::case_names()) {
        const auto c = ot_test::load_case(name);
        const SphereCost sphere(c.us, c.ut);
        const DenseCost C(materialize(sphere), sphere.rows(), sphere.cols());
        const double maxc = cost_max(C), med = cost_median(C);
        for (const auto& e : (*c.ref)["sinkhorn"]) {
            const double frac = e["frac"].get<double>();
            const double eps = e["rule"].get<std::string>() == "frac_of_max" ? frac * maxc : frac * med;
            CAPTURE(name);
            CAPTURE(frac);
            f(c, sphere, C, e, eps);
        }
    }
}
}  // namespace

TEST_CASE("Sinkhorn: every eps rule, linear / KL objective / dual and both divergences to 1e-7 relative") {
    const double tol = 1e-7;
    for (const auto& name : ot_test::case_names()) {
        const auto c = ot_test::load_case(name);
        const SphereCost Cab(c.us, c.ut), Caa(c.us, c.us), Cbb(c.ut, c.ut);
        const double maxc = cost_max(Cab), med = cost_median(Cab);
        for (const auto& e : (*c.ref)["sinkhorn"]) {
            const std::string rule = e["rule"].get<std::string>();
            const double frac = e["frac"].get<double>();
            const double eps = rule == "frac_of_max" ? frac * maxc : frac * med;
            CAPTURE(name);
            CAPTURE(rule);
            CAPTURE(frac);
            CHECK(ot_test::rel(eps, e["eps_km"].get<double>()) <= 1e-12);
            const DivergenceResult d = sinkhorn_divergence(c.src.w, c.tgt.w, Cab, Caa, Cbb, opts(eps));
            CHECK(d.ab.converged);
            CHECK(d.aa.converged);
            CHECK(d.bb.converged);
            CHECK(d.ab.marginal_error < 1e-12);
            CHECK(ot_test::rel(d.ab.linear, e["sinkhorn_linear_km"].get<double>()) <= tol);
            CHECK(ot_test::rel(d.ab.linear, e["pot_sinkhorn2_check_km"].get<double>()) <= tol);
            CHECK(ot_test::rel(d.ab.kl_objective, e["sinkhorn_kl_objective_km"].get<double>()) <= tol);
            CHECK(ot_test::rel(d.ab.dual, e["sinkhorn_dual_km"].get<double>()) <= tol);
            const auto& st = e["self_terms"];
            CHECK(ot_test::rel(d.aa.linear, st["aa_linear"].get<double>()) <= tol);
            CHECK(ot_test::rel(d.bb.linear, st["bb_linear"].get<double>()) <= tol);
            CHECK(ot_test::rel(d.aa.kl_objective, st["aa_kl_objective"].get<double>()) <= tol);
            CHECK(ot_test::rel(d.bb.kl_objective, st["bb_kl_objective"].get<double>()) <= tol);
            CHECK(ot_test::rel(d.linear, e["divergence_linear_km"].get<double>()) <= tol);
            CHECK(ot_test::rel(d.kl, e["divergence_kl_km"].get<double>()) <= tol);
        }
    }
}

TEST_CASE("GeoSpOT default replicates POT sinkhorn2(reg=0.01, 1000 iterations, stopThr 1e-8) to 1e-7") {
    for (const auto& name : ot_test::case_names()) {
        CAPTURE(name);
        const auto c = ot_test::load_case(name);
        const SphereCost C(c.us, c.ut);
        const GeoSpotResult g = geospot_sinkhorn(c.src.w, c.tgt.w, C, 2);
        const auto& ref = (*c.ref)["geospot_compat"];
        CHECK(g.method_used == ref["method_used"].get<std::string>());
        CHECK(g.niter == ref["niter"].get<int>());
        CHECK(ot_test::rel(g.value_normalised, ref["value_normalised"].get<double>()) <= 1e-7);
        CHECK(ot_test::rel(g.value_times_max, ref["value_times_max_km"].get<double>()) <= 1e-7);
        CHECK(ot_test::rel(g.last_err, ref["last_err"].get<double>()) <= 1e-3);
    }
}

TEST_CASE("Sinkhorn: identical inputs give 0 with no NaN") {
    const auto c = ot_test::load_case("europe_50x60");
    const SphereCost Caa(c.us, c.us);
    const double eps = 0.01 * cost_max(Caa);
    const DivergenceResult d = sinkhorn_divergence(c.src.w, c.src.w, Caa, Caa, Caa, opts(eps), true);
    CHECK(d.linear == 0.0);
    CHECK(d.kl == 0.0);
    // The alternating solver on the same problem agrees with the symmetric one
    // (at 0.1 max C: at 0.01 max C it needs ~1e5 iterations, which is why the
    // self terms use the symmetric solver).
    const double eps1 = 0.1 * cost_max(Caa);
    const SinkhornResult ab = sinkhorn(c.src.w, c.src.w, Caa, opts(eps1));
    const SinkhornResult aa = sinkhorn_symmetric(c.src.w, Caa, opts(eps1));
    CHECK(std::isfinite(ab.linear));
    CHECK(std::isfinite(ab.kl_objective));
    CHECK(std::fabs(ab.kl_objective - aa.kl_objective) <= 1e-7 * aa.kl_objective);
    const GeoSpotResult g = geospot_sinkhorn(c.src.w, c.src.w, Caa);
    CHECK(std::isfinite(g.value_normalised));
    // One point against itself: exactly 0.
    const UnitVectors one = to_unit_vectors({1.0}, {2.0});
    const SphereCost C1(one, one);
    const SinkhornResult s1 = sinkhorn({1.0}, {1.0}, C1, opts(10.0));
    CHECK(s1.linear == 0.0);
    CHECK(s1.kl_objective == 0.0);
}

TEST_CASE("Sinkhorn: one point against many, unequal totals normalised") {
    const auto c = ot_test::load_case("europe_50x60");
    const UnitVectors one = to_unit_vectors({c.src.lon[0]}, {c.src.lat[0]});
    const SphereCost C1(one, c.ut);
    double mean = 0.0;
    for (std::size_t j = 0; j < C1.cols(); ++j) mean += C1(0, j) / static_cast<double>(C1.cols());
    // With one source point the plan is a (x) b whatever eps: linear = mean, KL = 0.
    const SinkhornResult r = sinkhorn({5.0}, c.tgt.w, C1, opts(100.0));
    CHECK(r.converged);
    CHECK(ot_test::rel(r.linear, mean) <= 1e-12);
    CHECK(ot_test::rel(r.kl_objective, mean) <= 1e-12);
    // Unequal totals: same numbers as the normalised masses.
    const SphereCost C(c.us, c.ut);
    const double eps = 0.1 * cost_max(C);
    std::vector<double> a3(c.src.w.size(), 3.0 / 50.0);
    const SinkhornResult s = sinkhorn(a3, c.tgt.w, C, opts(eps));
    CHECK(ot_test::rel(s.linear, (*c.ref)["sinkhorn"][0]["sinkhorn_linear_km"].get<double>()) <= 1e-7);
}

TEST_CASE("Sinkhorn on a stored cost (the vectorised passes) matches the references to 1e-7") {
    for_each_sinkhorn_reference([](const auto& c, const SphereCost&, const DenseCost& C, const auto& e, double eps) {
        const SinkhornResult r = sinkhorn(c.src.w, c.tgt.w, C, opts(eps));
        CHECK(r.converged);
        CHECK(ot_test::rel(r.linear, e["sinkhorn_linear_km"].template get<double>()) <= 1e-7);
        CHECK(ot_test::rel(r.kl_objective, e["sinkhorn_kl_objective_km"].template get<double>()) <= 1e-7);
    });
}

TEST_CASE("Anderson and over-relaxation change the iterations, not the value") {
    const auto c = ot_test::load_case("antimeridian_500x400");
    const SphereCost C(c.us, c.ut);
    SinkhornOptions o = opts(0.01 * cost_max(C));
    o.tol = 1e-10;
    const SinkhornResult anderson = sinkhorn(c.src.w, c.tgt.w, C, o);  // the default
    o.anderson = 0;
    const SinkhornResult relaxed = sinkhorn(c.src.w, c.tgt.w, C, o);
    o.overrelaxation = false;
    const SinkhornResult plain = sinkhorn(c.src.w, c.tgt.w, C, o);
    CHECK(anderson.converged);
    CHECK(relaxed.converged);
    CHECK(plain.converged);
    CAPTURE(anderson.iterations);
    CAPTURE(relaxed.iterations);
    CAPTURE(plain.iterations);
    CHECK(anderson.iterations < relaxed.iterations);
    CHECK(relaxed.iterations < plain.iterations);
    CHECK(ot_test::rel(anderson.linear, plain.linear) <= 1e-9);
    CHECK(ot_test::rel(relaxed.linear, plain.linear) <= 1e-9);
    CHECK(ot_test::rel(anderson.kl_objective, plain.kl_objective) <= 1e-9);
    // Zero masses keep their -inf potentials through the mixing.
    std::vector<double> a = c.src.w;
    for (std::size_t i = 0; i < a.size(); i += 7) a[i] = 0.0;
    o.anderson = 8;
    const SinkhornResult z = sinkhorn(a, c.tgt.w, C, o);
    CHECK(z.converged);
    CHECK(std::isfinite(z.linear));
    for (std::size_t i = 0; i < a.size(); i += 7) CHECK(z.f[i] == -std::numeric_limits<double>::infinity());
}

TEST_CASE("Sinkhorn: points of zero mass change nothing (stored and on the fly)") {
    // Every third source and every fourth target get mass 0: the value must be
    // the one without those points, with no NaN (a relaxed update of a -inf
    // potential once gave 0 * -inf).
    const auto c = ot_test::load_case("europe_50x60");
    const ZeroMassCase zc = zero_mass_case(c);
    const std::vector<double>&a = zc.a, &b = zc.b;
    const ot_test::Points &src_kept = zc.src_kept, &tgt_kept = zc.tgt_kept;
    const UnitVectors us = to_unit_vectors(src_kept.lon, src_kept.lat), ut = to_unit_vectors(tgt_kept.lon, tgt_kept.lat);
    const SphereCost sphere(c.us, c.ut), kept(us, ut);
    const DenseCost dense(materialize(sphere), sphere.rows(), sphere.cols());
    SinkhornOptions o = opts(0.01 * cost_max(sphere));
    o.tol = 1e-10;
    const SinkhornResult want = sinkhorn(src_kept.w, tgt_kept.w, kept, o);
    REQUIRE(want.converged);
    for (const CostFunction* C : {static_cast<const CostFunction*>(&sphere), static_cast<const CostFunction*>(&dense)}) {
        const SinkhornResult r = sinkhorn(a, b, *C, o);
        CHECK(r.converged);
        CHECK(std::isfinite(r.linear));
        CHECK(ot_test::rel(r.linear, want.linear) <= 1e-8);
        CHECK(ot_test::rel(r.kl_objective, want.kl_objective) <= 1e-8);
    }
}

TEST_CASE("Sinkhorn through the single-precision Gibbs kernel matches the references and the exact path") {
    // Forced onto the kernel at any size: every stage runs on it (the last to
    // tol/10, measured on the kernel), then the final one continues on the exact
    // cost down to tol (1e-12 here; the single-precision kernel is ~1e-9 from
    // the exact cost), so the values are the exact path's.
    for_each_sinkhorn_reference([](const auto& c, const SphereCost& sphere, const DenseCost& C, const auto& e, double eps) {
        SinkhornOptions o = opts(eps);
        o.kernel_min_entries = 0;
        const SinkhornResult k = sinkhorn(c.src.w, c.tgt.w, C, o);
        for (const CostFunction* cost : {static_cast<const CostFunction*>(&C), static_cast<const CostFunction*>(&sphere)}) {
            const SinkhornResult r = sinkhorn(c.src.w, c.tgt.w, *cost, o);
            CHECK(r.kernel_builds > 0);
            CHECK(r.converged);
            CHECK(r.marginal_error < o.tol);
            CHECK(ot_test::rel(r.linear, e["sinkhorn_linear_km"].template get<double>()) <= 1e-7);
            CHECK(ot_test::rel(r.kl_objective, e["sinkhorn_kl_objective_km"].template get<double>()) <= 1e-7);
            CHECK(ot_test::rel(r.dual, e["sinkhorn_dual_km"].template get<double>()) <= 1e-7);
        }
        o.kernel_memory = 0;
        const SinkhornResult x = sinkhorn(c.src.w, c.tgt.w, C, o);
        CHECK(x.kernel_builds == 0);
        CHECK(ot_test::rel(k.linear, x.linear) <= 1e-10);
        CHECK(ot_test::rel(k.kl_objective, x.kl_objective) <= 1e-10);
    });
}

TEST_CASE("Sinkhorn through the Gibbs kernel: zero masses and a loose tol") {
    const auto c = ot_test::load_case("europe_50x60");
    std::vector<double> a = c.src.w, b = c.tgt.w;
    for (std::size_t i = 0; i < a.size(); i += 3) a[i] = 0.0;
    for (std::size_t j = 0; j < b.size(); j += 4) b[j] = 0.0;
    const SphereCost C(c.us, c.ut);
    SinkhornOptions o = opts(0.01 * cost_max(C));
    o.tol = 1e-10;
    o.kernel_memory = 0;
    const SinkhornResult want = sinkhorn(a, b, C, o);
    o.kernel_memory = std::size_t(1) << 30;
    o.kernel_min_entries = 0;
    const SinkhornResult r = sinkhorn(a, b, C, o);
    CHECK(r.kernel_builds > 0);
    CHECK(r.converged);
    CHECK(ot_test::rel(r.linear, want.linear) <= 1e-8);
    for (std::size_t i = 0; i < a.size(); i += 3) CHECK(r.f[i] == -std::numeric_limits<double>::infinity());
    for (std::size_t j = 0; j < b.size(); j += 4) CHECK(r.g[j] == -std::numeric_limits<double>::infinity());
    // A tol above the kernel's floor is still checked on the exact cost at the end.
    o.tol = 1e-4;
    const SinkhornResult loose = sinkhorn(a, b, C, o);
    CHECK(loose.converged);
    CHECK(loose.marginal_error < 1e-4);
    CHECK(ot_test::rel(loose.linear, want.linear) <= 1e-3);
}

TEST_CASE("Sinkhorn divergence through the Gibbs kernel (the symmetric self terms too) matches the references") {
    for (const auto& name : ot_test::case_names()) {
        const auto c = ot_test::load_case(name);
        const SphereCost Cab(c.us, c.ut), Caa(c.us, c.us), Cbb(c.ut, c.ut);
        const double maxc = cost_max(Cab), med = cost_median(Cab);
        for (const auto& e : (*c.ref)["sinkhorn"]) {
            const double frac = e["frac"].get<double>();
            const double eps = e["rule"].get<std::string>() == "frac_of_max" ? frac * maxc : frac * med;
            CAPTURE(name);
            CAPTURE(frac);
            SinkhornOptions o = opts(eps);
            o.kernel_min_entries = 0;
            const DivergenceResult d = sinkhorn_divergence(c.src.w, c.tgt.w, Cab, Caa, Cbb, o);
            CHECK(d.aa.kernel_builds > 0);
            CHECK(d.bb.kernel_builds > 0);
            CHECK(d.ab.kernel_builds > 0);
            CHECK(d.aa.converged);
            CHECK(d.bb.converged);
            CHECK(d.ab.converged);
            CHECK(d.aa.marginal_error < o.tol);
            CHECK(d.bb.marginal_error < o.tol);
            CHECK(d.ab.marginal_error < o.tol);
            const auto& st = e["self_terms"];
            CHECK(ot_test::rel(d.aa.linear, st["aa_linear"].get<double>()) <= 1e-7);
            CHECK(ot_test::rel(d.bb.kl_objective, st["bb_kl_objective"].get<double>()) <= 1e-7);
            CHECK(ot_test::rel(d.linear, e["divergence_linear_km"].get<double>()) <= 1e-7);
            CHECK(ot_test::rel(d.kl, e["divergence_kl_km"].get<double>()) <= 1e-7);
        }
    }
}

TEST_CASE("Sinkhorn divergence through the Gibbs kernel: zero masses keep -inf potentials, no NaN") {
    // The symmetric update once turned a zero mass into NaN on the kernel (its
    // row sum is -inf there, as the potential is): the value must be the one
    // without those points.
    const auto c = ot_test::load_case("europe_50x60");
    const ZeroMassCase zc = zero_mass_case(c);
    const std::vector<double>&a = zc.a, &b = zc.b;
    const ot_test::Points &src_kept = zc.src_kept, &tgt_kept = zc.tgt_kept;
    const UnitVectors us = to_unit_vectors(src_kept.lon, src_kept.lat), ut = to_unit_vectors(tgt_kept.lon, tgt_kept.lat);
    const SphereCost Cab(c.us, c.ut), Caa(c.us, c.us), Cbb(c.ut, c.ut);
    const SphereCost Kab(us, ut), Kaa(us, us), Kbb(ut, ut);
    SinkhornOptions o = opts(0.01 * cost_max(Cab));
    o.tol = 1e-10;
    o.kernel_memory = 0;
    const DivergenceResult want = sinkhorn_divergence(src_kept.w, tgt_kept.w, Kab, Kaa, Kbb, o);
    o.kernel_memory = std::size_t(1) << 30;
    o.kernel_min_entries = 0;
    const DivergenceResult d = sinkhorn_divergence(a, b, Cab, Caa, Cbb, o);
    CHECK(d.aa.kernel_builds > 0);
    CHECK(d.aa.converged);
    CHECK(d.bb.converged);
    CHECK(d.ab.converged);
    CHECK(std::isfinite(d.kl));
    CHECK(ot_test::rel(d.kl, want.kl) <= 1e-8);
    CHECK(ot_test::rel(d.linear, want.linear) <= 1e-8);
    for (std::size_t i = 0; i < a.size(); i += 3) CHECK(d.aa.f[i] == -std::numeric_limits<double>::infinity());
}

TEST_CASE("Sinkhorn out of iterations on the Gibbs kernel reports the exact cost's marginal error") {
    const auto c = ot_test::load_case("antimeridian_500x400");
    const SphereCost sphere(c.us, c.ut);
    const DenseCost C(materialize(sphere), sphere.rows(), sphere.cols());
    const double eps = 0.01 * cost_max(C);
    SinkhornOptions o = opts(eps);
    o.kernel_min_entries = 0;
    o.max_iter = 3;
    for (const int threads : {1, 2}) {
        o.threads = threads;
        const SinkhornResult r = sinkhorn(c.src.w, c.tgt.w, C, o);
        CHECK(r.kernel_builds > 0);
        CHECK_FALSE(r.converged);
        // The column marginals of exp((f + g - C) / eps), summed here in double.
        const std::vector<double> b = normalise_masses(c.tgt.w);
        std::vector<double> col(b.size(), 0.0);
        for (std::size_t i = 0; i < C.rows(); ++i)
            for (std::size_t j = 0; j < C.cols(); ++j)
                col[j] += std::exp((r.f[i] + r.g[j] - C.values()[i * C.cols() + j]) / eps);
        double err = 0.0;
        for (std::size_t j = 0; j < b.size(); ++j) err += std::fabs(col[j] - b[j]);
        CAPTURE(err);
        CAPTURE(r.marginal_error);
        CHECK(std::fabs(r.marginal_error - err) <= 1e-9 * err + 1e-15);
    }
}
