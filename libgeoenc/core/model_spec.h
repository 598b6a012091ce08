#pragma once
// Parsing of --model values. Grammar: KIND[:KEY=VALUE[,KEY=VALUE...]], e.g.
// "sh:L=10" or "sh:L=40,convention=orthonormal". Model files and named models
// are resolved by the encoder factory; this only splits the text.
#include <map>
#include <string>

namespace geoenc {

struct ModelSpec {
    std::string kind;                           // "sh", or a file path / model name
    std::map<std::string, std::string> params;  // KEY -> VALUE

    // Typed accessors name the option in their errors: "--model sh: L=abc is not an integer".
    int get_int(const std::string& key, int fallback) const;
    std::string get(const std::string& key, const std::string& fallback) const;
    std::string canonical() const;  // stable text for metadata: kind:k1=v1,k2=v2 (sorted)
};

ModelSpec parse_model_spec(const std::string& text);  // throws UsageError

}  // namespace geoenc
