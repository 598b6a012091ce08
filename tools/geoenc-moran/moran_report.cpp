#include "moran_report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/csv_cells.h"

namespace geoenc::tools {

using cli::csv_number;
using cli::csv_text;

void write_json(std::ostream& out, const std::vector<GlobalResult>& results, const WeightsSummary& w) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const auto& r : results) {
        nlohmann::ordered_json o;
        o["variable"] = r.variable;
        o["weights"] = w.weights;
        o["transform"] = w.transform;
        for (const auto& [k, v] : r.values) {
            if (std::isnan(v)) o[k] = nullptr;  // JSON has no NaN
            else if (k == "n" || k == "permutations") o[k] = std::int64_t(v);
            else o[k] = v;
        }
        o["islands"] = w.islands;
        o["components"] = w.components;
        all.push_back(std::move(o));
    }
    out << all.dump(2) << '\n';
}

void write_csv(std::ostream& out, const std::vector<GlobalResult>& results, const WeightsSummary& w) {
    if (results.empty()) return;
    out << "variable,weights,transform";
    for (const auto& kv : results[0].values) out << ',' << kv.first;
    out << ",islands,components\n";
    for (const auto& r : results) {
        out << csv_text(r.variable) << ',' << csv_text(w.weights) << ',' << w.transform;
        for (const auto& kv : r.values) out << ',' << csv_number(kv.second);
        out << ',' << w.islands << ',' << w.components << '\n';
    }
}

}  // namespace geoenc::tools
