#include "train/net_spec.h"

#include <cmath>
#include <sstream>

#include "core/errors.h"

namespace geoenc::train {

namespace {

bool whole(const std::string& s, long long& out) {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoll(s);
    return true;
}

bool number(const std::string& s, double& out) {
    try {
        std::size_t used = 0;
        out = std::stod(s, &used);
        return used == s.size() && std::isfinite(out);
    } catch (...) {
        return false;
    }
}

std::string shortest(double v) {
    std::ostringstream o;
    o.precision(17);
    o << v;
    return o.str();
}

// "256x2" -> width, depth.
void width_depth(const std::string& option, const std::string& text, const std::string& part, int64_t& width,
                 int& depth) {
    const auto x = part.find('x');
    long long w = 0, d = 0;
    if (x == std::string::npos || !whole(part.substr(0, x), w) || !whole(part.substr(x + 1), d) || w < 1 || d < 1)
        throw UsageError(option + " '" + text + "': expected WIDTHxDEPTH with whole numbers >= 1, e.g. 256x2");
    width = w;
    depth = int(d);
}

}  // namespace

std::string NetSpec::text() const {
    if (kind == "linear") return kind;
    std::string s = kind + ":" + std::to_string(width) + "x" + std::to_string(depth);
    if (kind == "siren") s += ",w0_initial=" + shortest(w0_initial) + ",w0=" + shortest(w0);
    return s;
}

std::string HeadSpec::text() const { return kind == "mlp" ? "mlp:" + std::to_string(width) : kind; }

NetSpec parse_net_spec(const std::string& text) {
    NetSpec n;
    std::string rest = text;
    std::string params;
    if (auto c = rest.find(','); c != std::string::npos) {
        params = rest.substr(c + 1);
        rest = rest.substr(0, c);
    }
    const auto colon = rest.find(':');
    n.kind = rest.substr(0, colon);
    if (n.kind != "siren" && n.kind != "fcnet" && n.kind != "linear")
        throw UsageError("--net '" + text + "': expected siren:WIDTHxDEPTH, fcnet:WIDTHxDEPTH or linear");
    if (n.kind == "linear") {
        if (colon != std::string::npos || !params.empty())
            throw UsageError("--net '" + text + "': linear takes no parameters");
        return n;
    }
    if (colon != std::string::npos) width_depth("--net", text, rest.substr(colon + 1), n.width, n.depth);
    // The model file names fcnet blocks feats.2 .. feats.63 (the layout SatCLIP's code uses).
    if (n.kind == "fcnet" && n.depth > 62) throw UsageError("--net '" + text + "': fcnet takes at most 62 blocks");
    std::istringstream ps(params);
    for (std::string kv; std::getline(ps, kv, ',');) {
        const auto eq = kv.find('=');
        double v = 0;
        if (eq == std::string::npos || !number(kv.substr(eq + 1), v) || !(v > 0))
            throw UsageError("--net '" + text + "': '" + kv + "' is not KEY=POSITIVE_NUMBER");
        const std::string key = kv.substr(0, eq);
        if (n.kind == "siren" && key == "w0_initial") n.w0_initial = v;
        else if (n.kind == "siren" && key == "w0") n.w0 = v;
        else throw UsageError("--net '" + text + "': unknown parameter '" + key + "'" +
                              (n.kind == "siren" ? " (siren takes w0_initial and w0)" : ""));
    }
    return n;
}

HeadSpec parse_head_spec(const std::string& text) {
    HeadSpec h;
    const auto colon = text.find(':');
    h.kind = text.substr(0, colon);
    if (h.kind == "linear" && colon == std::string::npos) return h;
    if (h.kind != "mlp") throw UsageError("--head '" + text + "': expected linear, mlp or mlp:WIDTH");
    if (colon != std::string::npos) {
        long long w = 0;
        if (!whole(text.substr(colon + 1), w) || w < 1)
            throw UsageError("--head '" + text + "': the MLP width must be a whole number >= 1");
        h.width = w;
    }
    return h;
}

}  // namespace geoenc::train
