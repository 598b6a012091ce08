#pragma once
// Global results on stdout: a JSON array with one object per variable, or CSV
// with one row per variable (the same keys, in the same order, as columns).
#include <ostream>
#include <string>
#include <vector>

#include "moran_compute.h"

namespace geoenc::tools {

struct WeightsSummary {
    std::string weights;    // what was built or read, e.g. "queen" or "w.gal"
    std::string transform;  // r, b or v
    std::int64_t islands = 0;
    std::int64_t components = 0;
};

void write_json(std::ostream& out, const std::vector<GlobalResult>& results, const WeightsSummary& w);
void write_csv(std::ostream& out, const std::vector<GlobalResult>& results, const WeightsSummary& w);

}  // namespace geoenc::tools
