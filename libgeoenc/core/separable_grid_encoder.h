#pragma once
// GridEncoder for sh:L=N, alone or followed by a network (see core/grid_encoder.h
// for the factorisation). Compute translation units only: exposes Network.
#include <memory>
#include <optional>

#include "core/grid_encoder.h"
#include "core/networks.h"
#include "core/runtime.h"
#include "core/spherical_harmonics.h"

namespace geoenc {

// `net`, when present, must already be on the CPU in `precision`'s dtype.
std::unique_ptr<GridEncoder> make_separable_grid_encoder(int L, ShConvention conv, const std::optional<Network>& net,
                                                         Precision precision);

}  // namespace geoenc
