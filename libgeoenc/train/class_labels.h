#pragma once
// The label mapping of a classifier: class k <-> labels[k]. Labels are the
// field's text values; when every one is a number they sort numerically
// ("2" before "10"), otherwise as text, so the order does not depend on the
// order of the features. Torch-free.
#include <cstdint>
#include <string>
#include <vector>

namespace geoenc::train {

std::vector<std::string> sorted_labels(const std::vector<std::string>& values);

// Class index of each value; values not in `labels` get -1.
std::vector<int64_t> class_indices(const std::vector<std::string>& values, const std::vector<std::string>& labels);

}  // namespace geoenc::train
