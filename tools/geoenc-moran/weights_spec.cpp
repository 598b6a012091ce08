#include "weights_spec.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "core/errors.h"

namespace geoenc::tools {

namespace {

const char* kForms = "expected knn:K, distance:D[,alpha=A], kernel:NAME:K[,fixed][,bandwidth=B], queen or rook";

[[noreturn]] void bad(const std::string& text, const std::string& why) {
    throw UsageError("--weights '" + text + "': " + why + " (" + kForms + ")");
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(s);
    while (std::getline(in, item, sep)) out.push_back(item);
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

double number(const std::string& text, const std::string& item, double min) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(item.c_str(), &end);
    if (item.empty() || *end || errno || !std::isfinite(v) || v < min) bad(text, "bad number '" + item + "'");
    return v;
}

int whole(const std::string& text, const std::string& item) {
    const double v = number(text, item, -1e300);
    if (v < 1 || v != std::floor(v) || v > 1e6) bad(text, "K must be a whole number >= 1, got '" + item + "'");
    return int(v);
}

}  // namespace

WeightsSpec parse_weights_spec(const std::string& text) {
    WeightsSpec s;
    if (text.empty()) return s;
    const std::vector<std::string> parts = split(text, ',');
    const std::vector<std::string> head = split(parts[0], ':');
    const std::string& kind = head[0];
    if (kind == "queen" || kind == "rook") {
        if (head.size() != 1 || parts.size() != 1) bad(text, kind + " takes no parameters");
        s.kind = kind == "queen" ? WeightsSpec::Kind::Queen : WeightsSpec::Kind::Rook;
    } else if (kind == "knn") {
        if (head.size() != 2 || parts.size() != 1) bad(text, "knn needs K");
        s.kind = WeightsSpec::Kind::Knn;
        s.k = whole(text, head[1]);
    } else if (kind == "distance") {
        if (head.size() != 2) bad(text, "distance needs D in km");
        s.kind = WeightsSpec::Kind::Distance;
        s.distance_km = number(text, head[1], 0);
        for (std::size_t i = 1; i < parts.size(); ++i) {
            if (parts[i].rfind("alpha=", 0) != 0) bad(text, "unknown distance parameter '" + parts[i] + "'");
            s.binary = false;
            s.alpha = number(text, parts[i].substr(6), -1e9);
        }
    } else if (kind == "kernel") {
        if (head.size() != 3) bad(text, "kernel needs NAME and K");
        s.kind = WeightsSpec::Kind::Kernel;
        s.kernel = head[1];
        static const char* kNames[] = {"triangular", "uniform", "quadratic", "epanechnikov", "quartic", "gaussian"};
        bool known = false;
        for (const char* n : kNames) known |= s.kernel == n;
        if (!known) bad(text, "unknown kernel '" + s.kernel + "' (triangular, uniform, quadratic, quartic, gaussian)");
        s.k = whole(text, head[2]);
        for (std::size_t i = 1; i < parts.size(); ++i) {
            if (parts[i] == "fixed") s.adaptive = false;
            else if (parts[i] == "adaptive") s.adaptive = true;
            else if (parts[i].rfind("bandwidth=", 0) == 0) {
                s.adaptive = false;
                s.bandwidth_km = number(text, parts[i].substr(10), 0);
            } else bad(text, "unknown kernel parameter '" + parts[i] + "'");
        }
        // a given bandwidth is one fixed bandwidth: 'adaptive' would silently drop it
        if (s.adaptive && s.bandwidth_km > 0) bad(text, "bandwidth=B is a fixed bandwidth: it takes no 'adaptive'");
    } else {
        bad(text, "unknown kind '" + kind + "'");
    }
    return s;
}

std::string WeightsSpec::text() const {
    std::ostringstream o;
    switch (kind) {
    case Kind::Auto: return "auto";
    case Kind::Queen: return "queen";
    case Kind::Rook: return "rook";
    case Kind::Knn: o << "knn:" << k; break;
    case Kind::Distance:
        o << "distance:" << distance_km;
        if (!binary) o << ",alpha=" << alpha;
        break;
    case Kind::Kernel:
        o << "kernel:" << kernel << ':' << k << (adaptive ? "" : ",fixed");
        if (bandwidth_km > 0) o << ",bandwidth=" << bandwidth_km;
        break;
    }
    return o.str();
}

}  // namespace geoenc::tools
