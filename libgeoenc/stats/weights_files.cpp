#include "stats/weights_files.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "core/errors.h"

namespace geoenc::stats {

namespace {

[[noreturn]] void fail(const std::string& path, std::size_t line, const std::string& what) {
    throw DataError(path + ":" + std::to_string(line) + ": " + what);
}

std::vector<std::string> tokens(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    std::string t;
    while (in >> t) out.push_back(t);
    return out;
}

long long parse_count(const std::string& text, const std::string& path, std::size_t line, const char* what) {
    try {
        std::size_t used = 0;
        const long long v = std::stoll(text, &used);
        if (used != text.size() || v < 0) throw std::invalid_argument(text);
        return v;
    } catch (const std::exception&) {
        fail(path, line, std::string("expected ") + what + ", found '" + text + "'");
    }
}

// Reads the header line; returns n.
long long read_header(std::istream& in, const std::string& path, std::size_t& line_no) {
    std::string line;
    while (std::getline(in, line)) {
        ++line_no;
        const auto t = tokens(line);
        if (t.empty()) continue;
        if (t.size() == 1) return parse_count(t[0], path, line_no, "the number of observations");
        if (t.size() >= 2) {
            parse_count(t[0], path, line_no, "0 in the header");
            return parse_count(t[1], path, line_no, "the number of observations");
        }
    }
    fail(path, line_no, "empty file, expected a header with the number of observations");
}

std::ofstream open_out(const std::string& path) {
    std::ofstream out(path);
    if (!out) throw DataError("cannot write " + path);
    return out;
}

std::vector<std::string> ids_or_index(const SpatialWeights& w) {
    if (!w.ids.empty()) return w.ids;
    std::vector<std::string> ids(static_cast<std::size_t>(w.n));
    for (std::int64_t i = 0; i < w.n; ++i) ids[i] = std::to_string(i);
    return ids;
}

// .gal takes "n" alone; libpysal's .gwt reader needs all four tokens, so a
// .gwt without an id field says ORDER (the observations in record order).
void write_header(std::ostream& out, const SpatialWeights& w, const std::string& layer, const std::string& id_field,
                  bool four_tokens) {
    if (id_field.empty() && !four_tokens) out << w.n << '\n';
    else
        out << "0 " << w.n << ' ' << (layer.empty() ? "unknown" : layer) << ' '
            << (id_field.empty() ? "ORDER" : id_field) << '\n';
}

}  // namespace

long long weights_file_count(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw DataError("cannot open " + path);
    std::size_t line_no = 0;
    return read_header(in, path, line_no);
}

SpatialWeights read_gal(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw DataError("cannot open " + path);
    std::size_t line_no = 0;
    const long long n = read_header(in, path, line_no);
    if (n > std::numeric_limits<std::int32_t>::max()) fail(path, line_no, "too many observations");
    SpatialWeights w;
    w.n = n;
    w.ids.reserve(static_cast<std::size_t>(n));
    std::vector<std::vector<std::string>> lists;
    std::vector<std::size_t> list_lines;
    std::unordered_map<std::string, std::int32_t> index;
    std::string line;
    while (static_cast<long long>(w.ids.size()) < n) {
        if (!std::getline(in, line)) fail(path, line_no, "expected " + std::to_string(n) + " observations, found " + std::to_string(w.ids.size()));
        ++line_no;
        const auto head = tokens(line);
        if (head.empty()) continue;
        if (head.size() != 2) fail(path, line_no, "expected 'id number-of-neighbours'");
        const long long k = parse_count(head[1], path, line_no, "a number of neighbours");
        if (!index.emplace(head[0], static_cast<std::int32_t>(w.ids.size())).second)
            fail(path, line_no, "id '" + head[0] + "' appears twice");
        w.ids.push_back(head[0]);
        std::vector<std::string> nb;
        if (k > 0) {
            // neighbours may be on one or more lines
            while (static_cast<long long>(nb.size()) < k) {
                if (!std::getline(in, line)) fail(path, line_no, "missing the neighbour list of id '" + head[0] + "'");
                ++line_no;
                for (auto& t : tokens(line)) nb.push_back(std::move(t));
            }
            if (static_cast<long long>(nb.size()) != k)
                fail(path, line_no, "id '" + head[0] + "' declares " + std::to_string(k) + " neighbours, lists " +
                                        std::to_string(nb.size()));
        } else if (in.peek() != EOF) {
            // GeoDa writes an empty line after an island; accept it or none
            const auto pos = in.tellg();
            std::string next;
            if (std::getline(in, next) && tokens(next).empty()) ++line_no;
            else in.seekg(pos);
        }
        lists.push_back(std::move(nb));
        list_lines.push_back(line_no);
    }
    while (std::getline(in, line)) {
        ++line_no;
        if (!tokens(line).empty()) fail(path, line_no, "more observations than the header's " + std::to_string(n));
    }
    w.offsets.assign(static_cast<std::size_t>(n) + 1, 0);
    for (std::size_t i = 0; i < lists.size(); ++i) {
        for (const auto& id : lists[i]) {
            const auto it = index.find(id);
            if (it == index.end()) fail(path, list_lines[i], "neighbour id '" + id + "' is not an observation");
            w.neighbors.push_back(it->second);
            w.values.push_back(1.0);
        }
        w.offsets[i + 1] = static_cast<std::int64_t>(w.neighbors.size());
    }
    w.transform = "o";
    return w;
}

SpatialWeights read_gwt(const std::string& path, const std::vector<std::string>& id_order) {
    std::ifstream in(path);
    if (!in) throw DataError("cannot open " + path);
    std::size_t line_no = 0;
    const long long n = read_header(in, path, line_no);
    std::unordered_map<std::string, std::int32_t> index;
    std::vector<std::string> ids;
    for (const auto& id : id_order) {
        if (!index.emplace(id, static_cast<std::int32_t>(ids.size())).second)
            throw DataError(path + ": the id list names '" + id + "' twice");
        ids.push_back(id);
    }
    if (!id_order.empty() && static_cast<long long>(id_order.size()) != n)
        throw DataError(path + ": the header declares " + std::to_string(n) + " observations, the id list has " +
                        std::to_string(id_order.size()));
    struct Edge {
        std::int32_t i, j;
        double v;
    };
    // first pass: the pairs as text
    struct TextEdge {
        std::string a, b;
        double v;
        std::size_t line;
    };
    std::vector<TextEdge> text;
    std::string line;
    while (std::getline(in, line)) {
        ++line_no;
        auto t = tokens(line);
        if (t.empty()) continue;
        if (t.size() != 3) fail(path, line_no, "expected 'id neighbour-id weight'");
        double v = 0;
        try {
            std::size_t used = 0;
            v = std::stod(t[2], &used);
            if (used != t[2].size() || !std::isfinite(v)) throw std::invalid_argument(t[2]);
        } catch (const std::exception&) {
            fail(path, line_no, "expected a weight, found '" + t[2] + "'");
        }
        text.push_back({std::move(t[0]), std::move(t[1]), v, line_no});
    }
    // without an id list: focal ids in order of first appearance, then ids seen only as neighbours
    auto add_id = [&](const std::string& id, std::size_t at) {
        if (index.count(id)) return;
        if (!id_order.empty()) fail(path, at, "id '" + id + "' is not in the id list");
        if (static_cast<long long>(ids.size()) >= n) fail(path, at, "more distinct ids than the header's " + std::to_string(n));
        index.emplace(id, static_cast<std::int32_t>(ids.size()));
        ids.push_back(id);
    };
    for (const auto& e : text) add_id(e.a, e.line);
    for (const auto& e : text) add_id(e.b, e.line);
    std::vector<Edge> edges;
    edges.reserve(text.size());
    for (const auto& e : text) edges.push_back({index.at(e.a), index.at(e.b), e.v});
    if (static_cast<long long>(ids.size()) != n)
        throw DataError(path + ": the header declares " + std::to_string(n) + " observations, the pairs name " +
                        std::to_string(ids.size()) + " (islands need an id list)");
    SpatialWeights w;
    w.n = n;
    w.ids = std::move(ids);
    w.offsets.assign(static_cast<std::size_t>(n) + 1, 0);
    for (const auto& e : edges) ++w.offsets[e.i + 1];
    for (long long i = 0; i < n; ++i) w.offsets[i + 1] += w.offsets[i];
    w.neighbors.resize(edges.size());
    w.values.resize(edges.size());
    std::vector<std::int64_t> fill(w.offsets.begin(), w.offsets.end() - 1);
    for (const auto& e : edges) {
        const auto at = fill[e.i]++;
        w.neighbors[at] = e.j;
        w.values[at] = e.v;
    }
    w.transform = "o";
    return w;
}

void write_gal(const std::string& path, const SpatialWeights& w, const std::string& layer, const std::string& id_field) {
    auto out = open_out(path);
    const auto ids = ids_or_index(w);
    write_header(out, w, layer, id_field, false);
    for (std::int64_t i = 0; i < w.n; ++i) {
        out << ids[i] << ' ' << w.cardinality(i) << '\n';
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e)
            out << (e == w.offsets[i] ? "" : " ") << ids[w.neighbors[e]];
        out << '\n';
    }
    if (!out) throw DataError("cannot write " + path);
}

void write_gwt(const std::string& path, const SpatialWeights& w, const std::string& layer, const std::string& id_field) {
    auto out = open_out(path);
    const auto ids = ids_or_index(w);
    write_header(out, w, layer, id_field, true);
    out << std::setprecision(17);
    for (std::int64_t i = 0; i < w.n; ++i)
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e)
            out << ids[i] << ' ' << ids[w.neighbors[e]] << ' ' << w.values[e] << '\n';
    if (!out) throw DataError("cannot write " + path);
}

SpatialWeights reorder_by_ids(const SpatialWeights& w, const std::vector<std::string>& ids) {
    const auto old_ids = ids_or_index(w);
    if (ids.size() != old_ids.size())
        throw DataError("spatial weights have " + std::to_string(old_ids.size()) + " observations, the data " +
                        std::to_string(ids.size()));
    std::unordered_map<std::string, std::int32_t> new_index;
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (!new_index.emplace(ids[i], static_cast<std::int32_t>(i)).second)
            throw DataError("id '" + ids[i] + "' appears twice in the data");
    std::vector<std::int32_t> map(old_ids.size());  // old -> new
    std::vector<std::int32_t> inverse(old_ids.size());
    for (std::size_t i = 0; i < old_ids.size(); ++i) {
        const auto it = new_index.find(old_ids[i]);
        if (it == new_index.end()) throw DataError("weights id '" + old_ids[i] + "' is not in the data");
        map[i] = it->second;
        inverse[it->second] = static_cast<std::int32_t>(i);
    }
    SpatialWeights r;
    r.n = w.n;
    r.ids = ids;
    r.transform = w.transform;
    r.offsets.assign(static_cast<std::size_t>(w.n) + 1, 0);
    r.neighbors.reserve(w.neighbors.size());
    r.values.reserve(w.values.size());
    for (std::int64_t i = 0; i < w.n; ++i) {
        const auto old = inverse[i];
        for (auto e = w.offsets[old]; e < w.offsets[old + 1]; ++e) {
            r.neighbors.push_back(map[w.neighbors[e]]);
            r.values.push_back(w.values[e]);
        }
        r.offsets[i + 1] = static_cast<std::int64_t>(r.neighbors.size());
    }
    return r;
}

}  // namespace geoenc::stats
