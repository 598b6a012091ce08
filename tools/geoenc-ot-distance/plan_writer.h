#pragma once
// --plan FILE: the selected flows of a transport plan as line features from
// the source point to the target point, with their mass and cost, so a map
// shows where a domain shift comes from.
#include <string>
#include <vector>

#include "io/vector_writer.h"
#include "ot/transport_plan.h"
#include "ot_samples.h"

namespace geoenc::tools {

// Lines are straight in lon/lat (EPSG:4326). A flow across the antimeridian
// takes the short way: its target longitude is shifted by 360 degrees.
void write_plan(const std::string& path, const io::WriterOptions& opts, const Samples& source, const Samples& target,
                const std::vector<ot::Flow>& flows, const std::string& units);

}  // namespace geoenc::tools
