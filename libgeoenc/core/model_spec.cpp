#include "core/model_spec.h"

#include <cstdlib>

#include "core/errors.h"

namespace geoenc {

namespace {
// Kinds built from formulas alone (core/positional_encoding.h); anything else is
// a model file or name. Kept in step with positional_encoding_kinds() by a unit
// test: this file stays torch-free, so it cannot ask the factory.
const char* kAnalyticKinds[] = {"sh",     "direct",  "cartesian3d", "wrap",    "grid",
                                "theory", "spherec", "spherec+",    "spherem", "spherem+"};

bool is_analytic(const std::string& kind) {
    for (const char* k : kAnalyticKinds)
        if (kind == k) return true;
    return false;
}
}  // namespace

ModelSpec parse_model_spec(const std::string& text) {
    if (text.empty()) throw UsageError("--model: empty value");
    ModelSpec spec;
    const auto colon = text.find(':');
    const std::string head = text.substr(0, colon);
    if (!is_analytic(head)) {
        spec.kind = text;  // a file or a named model: the factory decides
        return spec;
    }
    spec.kind = head;
    if (colon == std::string::npos) return spec;
    std::string rest = text.substr(colon + 1);
    std::size_t pos = 0;
    while (pos <= rest.size()) {
        const auto comma = rest.find(',', pos);
        const std::string item = rest.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        const auto eq = item.find('=');
        if (item.empty() || eq == std::string::npos || eq == 0)
            throw UsageError("--model " + text + ": expected KEY=VALUE, got '" + item + "'");
        spec.params[item.substr(0, eq)] = item.substr(eq + 1);
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    return spec;
}

int ModelSpec::get_int(const std::string& key, int fallback) const {
    auto it = params.find(key);
    if (it == params.end()) return fallback;
    char* end = nullptr;
    const long v = std::strtol(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || v < -1000000 || v > 1000000)
        throw UsageError("--model " + kind + ": " + key + "=" + it->second + " is not an integer");
    return int(v);
}

std::string ModelSpec::get(const std::string& key, const std::string& fallback) const {
    auto it = params.find(key);
    return it == params.end() ? fallback : it->second;
}

std::string ModelSpec::canonical() const {
    std::string out = kind;
    char sep = ':';
    for (const auto& [k, v] : params) {
        out += sep + k + "=" + v;
        sep = ',';
    }
    return out;
}

}  // namespace geoenc
