#pragma once
// geoenc-ot-distance's results on stdout: one JSON object (or a CSV header and
// row) per source/target pair, or the K x K matrix of --group-by.
#include <ostream>
#include <string>
#include <vector>

#include "ot_problem.h"

namespace geoenc::tools {

struct PairReport {
    std::string source, target;              // input paths, or group values
    std::string source_layer, target_layer;
    std::size_t n_source = 0, n_target = 0;
    double total_source = 0.0, total_target = 0.0;
    PairResult result;
};

struct RunParameters {
    ProblemSettings settings;
    std::string model;  // --model for embedding and mix costs
};

void write_pair_json(std::ostream& out, const PairReport& r, const RunParameters& p);
void write_pair_csv(std::ostream& out, const PairReport& r, const RunParameters& p);

// groups[k] names row and column k; pairs holds every (row, col) report, row-major.
void write_matrix_json(std::ostream& out, const std::string& field, const std::vector<std::string>& groups,
                       const std::vector<PairReport>& pairs, const RunParameters& p);
void write_matrix_csv(std::ostream& out, const std::vector<std::string>& groups, const std::vector<PairReport>& pairs);

}  // namespace geoenc::tools
