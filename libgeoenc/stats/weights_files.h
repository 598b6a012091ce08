#pragma once
// GeoDa/PySAL neighbour files: .gal (contiguity lists) and .gwt (weighted
// pairs), with observation ids. Errors are geoenc::DataError naming the file
// and line.
#include <string>
#include <vector>

#include "stats/spatial_weights.h"

namespace geoenc::stats {

// .gal: header "n" or "0 n name id-field", then per observation "id k" and a
// line of k neighbour ids. Observations are numbered in file order; ids are
// kept as text. Values are 1 (transform "b").
SpatialWeights read_gal(const std::string& path);

// .gwt: header "n" or "0 n name id-field", then "id neighbour-id weight" lines.
// Observations follow `id_order` when given (it must hold every id of the
// file; ids it names but the file does not are islands); otherwise the order
// in which ids first appear, which must account for all n observations.
SpatialWeights read_gwt(const std::string& path, const std::vector<std::string>& id_order = {});

// The number of observations a .gal or .gwt header declares.
long long weights_file_count(const std::string& path);

// Writers (atomic enough for tests and tools: write then check the stream).
// Ids are w.ids, or 0..n-1 when empty. `layer` and `id_field` fill the
// GeoDa header "0 n layer id-field" when id_field is not empty, else "n" (.gal)
// or "0 n layer ORDER" (.gwt: libpysal reads four tokens).
void write_gal(const std::string& path, const SpatialWeights& w, const std::string& layer = "",
               const std::string& id_field = "");
void write_gwt(const std::string& path, const SpatialWeights& w, const std::string& layer = "",
               const std::string& id_field = "");

// Reorders w so that observation i is the one with id ids[i] (every id of w exactly once).
SpatialWeights reorder_by_ids(const SpatialWeights& w, const std::vector<std::string>& ids);

}  // namespace geoenc::stats
