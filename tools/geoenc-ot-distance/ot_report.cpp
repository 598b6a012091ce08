#include "ot_report.h"

#include <nlohmann/json.hpp>

#include "cli/csv_cells.h"

namespace geoenc::tools {

namespace {

using Json = nlohmann::ordered_json;

Json parameters(const RunParameters& p) {
    const ProblemSettings& s = p.settings;
    Json j;
    j["cost"] = cost_name(s.cost);
    j["p"] = s.p;
    j["units"] = cost_units(s);
    if (s.cost == CostKind::Haversine || s.cost == CostKind::Mix) j["radius_km"] = s.radius_km;
    if (s.cost == CostKind::Geodesic) j["ellipsoid"] = "WGS84";
    if (s.cost == CostKind::Embedding || s.cost == CostKind::Mix) j["model"] = p.model;
    if (s.cost == CostKind::Mix) j["lambda"] = s.lambda;
    j["solver"] = solver_name(s.solver);
    if (s.solver == SolverKind::Sinkhorn || s.solver == SolverKind::Divergence) {
        j["eps_rule"] = s.eps.text;
        j["tol"] = s.tol;
    }
    if (s.solver == SolverKind::GeoSpot) {
        j["reg"] = 0.01;
        j["max_iter"] = 1000;
        j["stop_thr"] = 1e-8;
    }
    return j;
}

Json figures(const PairResult& r, const ProblemSettings& s) {
    Json j;
    j["distance"] = r.distance;
    j["ot_cost"] = r.ot_cost;
    j["max_cost"] = r.max_cost;
    switch (s.solver) {
        case SolverKind::Exact: break;
        case SolverKind::GeoSpot:
            j["value_times_max_cost"] = r.linear;
            j["eps"] = r.eps;
            break;
        case SolverKind::Divergence:
            j["divergence_linear"] = r.divergence_linear;
            [[fallthrough]];
        case SolverKind::Sinkhorn:
            j["linear"] = r.linear;
            j["entropic"] = r.entropic;
            j["eps"] = r.eps;
            break;
    }
    if (s.solver != SolverKind::Exact) {
        j["iterations"] = r.iterations;
        j["marginal_error"] = r.marginal_error;
        j["converged"] = r.converged;
    }
    j["status"] = r.status;
    return j;
}

Json pair_json(const PairReport& r, const RunParameters& p) {
    Json j;
    j["source"] = r.source;
    j["source_layer"] = r.source_layer;
    j["target"] = r.target;
    j["target_layer"] = r.target_layer;
    j["n_source"] = r.n_source;
    j["n_target"] = r.n_target;
    j["total_source"] = r.total_source;
    j["total_target"] = r.total_target;
    const Json f = figures(r.result, p.settings);  // items() does not keep a temporary alive
    for (auto& [k, v] : f.items()) j[k] = v;
    return j;
}

std::string csv_cell(const Json& v) {
    if (v.is_number_float()) return cli::csv_number(v.get<double>());
    if (v.is_string()) return cli::csv_text(v.get<std::string>());
    return v.dump();
}

}  // namespace

void write_pair_json(std::ostream& out, const PairReport& r, const RunParameters& p) {
    Json j = pair_json(r, p);
    j["parameters"] = parameters(p);
    out << j.dump(2) << "\n";
}

void write_pair_csv(std::ostream& out, const PairReport& r, const RunParameters& p) {
    Json j = pair_json(r, p);
    const Json params = parameters(p);
    for (auto& [k, v] : params.items())
        if (!j.contains(k)) j[k] = v;
    std::string head, row;
    bool first = true;
    for (auto& [k, v] : j.items()) {
        if (!first) {
            head += ",";
            row += ",";
        }
        first = false;
        head += k;
        row += csv_cell(v);
    }
    out << head << "\n" << row << "\n";
}

void write_matrix_json(std::ostream& out, const std::string& field, const std::vector<std::string>& groups,
                       const std::vector<PairReport>& pairs, const RunParameters& p) {
    const std::size_t k = groups.size();
    Json j;
    j["group_by"] = field;
    j["groups"] = groups;
    Json counts = Json::array();
    for (std::size_t g = 0; g < k; ++g) counts.push_back(pairs[g * k + g].n_source);
    j["features"] = counts;
    Json m = Json::array();
    for (std::size_t r = 0; r < k; ++r) {
        Json row = Json::array();
        for (std::size_t c = 0; c < k; ++c) row.push_back(pairs[r * k + c].result.distance);
        m.push_back(row);
    }
    j["distance"] = m;
    j["parameters"] = parameters(p);
    Json details = Json::array();
    for (const auto& pr : pairs) details.push_back(pair_json(pr, p));
    j["pairs"] = details;
    out << j.dump(2) << "\n";
}

void write_matrix_csv(std::ostream& out, const std::vector<std::string>& groups, const std::vector<PairReport>& pairs) {
    const std::size_t k = groups.size();
    out << "group";
    for (const auto& g : groups) out << "," << cli::csv_text(g);
    out << "\n";
    for (std::size_t r = 0; r < k; ++r) {
        out << cli::csv_text(groups[r]);
        for (std::size_t c = 0; c < k; ++c) out << "," << cli::csv_number(pairs[r * k + c].result.distance);
        out << "\n";
    }
}

}  // namespace geoenc::tools
