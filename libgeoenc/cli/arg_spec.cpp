#include "cli/arg_spec.h"

#include <strings.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <cctype>
#include <ostream>
#include <sstream>

#include "core/errors.h"

namespace po = boost::program_options;

namespace geoenc::cli {

namespace {

const char* const kPositionalKey = "positional-arguments";

std::string left_column(const ArgSpec& s) {
    std::string out = s.short_name ? std::string("-") + s.short_name + ", " : "    ";
    out += "--" + s.name;
    if (s.kind == ArgKind::KeyValue) out += " KEY VALUE";
    else if (s.kind != ArgKind::Flag) out += " " + s.metavar;
    return out;
}

std::string full_help(const ArgSpec& s) {
    std::string h = s.help;
    if (!s.choices.empty()) {
        h += " (";
        for (std::size_t i = 0; i < s.choices.size(); ++i) h += (i ? "|" : "") + s.choices[i];
        h += ")";
    }
    if (!s.default_value.empty()) h += " [default: " + s.default_value + "]";
    if (s.kind == ArgKind::List || s.kind == ArgKind::KeyValue) h += " Repeatable.";
    return h;
}

// Greedy word wrap of `text` into lines of at most `width` characters.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
    std::vector<std::string> lines;
    std::istringstream words(text);
    std::string word, line;
    while (words >> word) {
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

std::vector<std::string> groups_in_order(const std::vector<ArgSpec>& specs) {
    std::vector<std::string> groups;
    for (const auto& s : specs)
        if (!s.hidden && std::find(groups.begin(), groups.end(), s.group) == groups.end())
            groups.push_back(s.group);
    return groups;
}

const char* kind_name(ArgKind k) {
    switch (k) {
        case ArgKind::Flag: return "flag";
        case ArgKind::Value: return "value";
        case ArgKind::List: return "list";
        case ArgKind::KeyValue: return "keyvalue";
    }
    return "?";
}

const char* complete_name(CompleteAs c) {
    switch (c) {
        case CompleteAs::None: return "none";
        case CompleteAs::File: return "file";
        case CompleteAs::Choice: return "choice";
        case CompleteAs::VectorFormat: return "vector-format";
        case CompleteAs::RasterFormat: return "raster-format";
        case CompleteAs::Crs: return "crs";
    }
    return "?";
}

}  // namespace

bool ParsedArgs::flag(const std::string& name) const { return values_.count(name) > 0; }
bool ParsedArgs::given(const std::string& name) const { return values_.count(name) > 0; }

std::string ParsedArgs::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it != values_.end() && !it->second.empty()) return it->second.back();
    auto d = defaults_.find(name);
    return d == defaults_.end() ? std::string() : d->second;
}

std::vector<std::string> ParsedArgs::list(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>() : it->second;
}

std::vector<std::pair<std::string, std::string>> ParsedArgs::pairs(const std::string& name) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& kv : list(name)) {
        const auto eq = kv.find('=');
        out.emplace_back(kv.substr(0, eq), eq == std::string::npos ? std::string() : kv.substr(eq + 1));
    }
    return out;
}

ArgTable& ArgTable::add(ArgSpec spec) {
    if (find(spec.name)) throw std::logic_error("option --" + spec.name + " declared twice");
    if (!spec.choices.empty() && spec.complete == CompleteAs::None) spec.complete = CompleteAs::Choice;
    specs_.push_back(std::move(spec));
    return *this;
}

ArgTable& ArgTable::positional(PositionalSpec spec) {
    positionals_.push_back(std::move(spec));
    return *this;
}

const ArgSpec* ArgTable::find(const std::string& name) const {
    for (const auto& s : specs_)
        if (s.name == name) return &s;
    return nullptr;
}

ParsedArgs ArgTable::parse(int argc, const char* const* argv) const {
    // GDAL writes --config KEY VALUE as two tokens; Boost wants one. Join them.
    std::vector<std::string> tokens;
    for (int i = 1; i < argc; ++i) {
        std::string tok = argv[i];
        const std::string bare = tok.rfind("--", 0) == 0 ? tok.substr(2) : tok.rfind("-", 0) == 0 ? tok.substr(1) : "";
        const ArgSpec* s = bare.empty() ? nullptr : find(bare);
        if (s && s->kind == ArgKind::KeyValue) {
            if (i + 1 >= argc) throw UsageError("--" + s->name + ": needs KEY VALUE");
            std::string key = argv[++i];
            if (key.find('=') == std::string::npos) {
                if (i + 1 >= argc) throw UsageError("--" + s->name + " " + key + ": needs a VALUE");
                key += std::string("=") + argv[++i];
            }
            tokens.push_back("--" + s->name + "=" + key);
            continue;
        }
        if (s && s->kind == ArgKind::Value && s->tokens > 1) {
            if (i + s->tokens >= argc)
                throw UsageError("--" + s->name + ": needs " + std::to_string(s->tokens) + " values (" + s->metavar + ")");
            std::string joined;
            for (int k = 0; k < s->tokens; ++k) joined += (k ? " " : "") + std::string(argv[++i]);
            tokens.push_back("--" + s->name + "=" + joined);
            continue;
        }
        // A negative number is a value, not an option (--nodata -9999, --ref -10,5).
        if (s && (s->kind == ArgKind::Value || s->kind == ArgKind::List) && i + 1 < argc && argv[i + 1][0] == '-' &&
            (std::isdigit(static_cast<unsigned char>(argv[i + 1][1])) || argv[i + 1][1] == '.')) {
            tokens.push_back("--" + s->name + "=" + argv[++i]);
            continue;
        }
        tokens.push_back(tok);
    }

    po::options_description desc;
    for (const auto& s : specs_) {
        const std::string names = s.short_name ? s.name + "," + s.short_name : s.name;
        switch (s.kind) {
            case ArgKind::Flag: desc.add_options()(names.c_str(), po::bool_switch()); break;
            case ArgKind::Value: desc.add_options()(names.c_str(), po::value<std::string>()); break;
            case ArgKind::List:
            case ArgKind::KeyValue:
                desc.add_options()(names.c_str(), po::value<std::vector<std::string>>()->composing());
                break;
        }
    }
    desc.add_options()(kPositionalKey, po::value<std::vector<std::string>>());
    po::positional_options_description pos;
    pos.add(kPositionalKey, -1);

    po::variables_map vm;
    try {
        const int style = (po::command_line_style::unix_style ^ po::command_line_style::allow_guessing) |
                          po::command_line_style::allow_long_disguise;
        po::store(po::command_line_parser(tokens).options(desc).positional(pos).style(style).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }

    ParsedArgs out;
    for (const auto& s : specs_) {
        if (!s.default_value.empty()) out.defaults_[s.name] = s.default_value;
        if (!vm.count(s.name)) continue;
        switch (s.kind) {
            case ArgKind::Flag:
                if (vm[s.name].as<bool>()) out.values_[s.name] = {"1"};
                break;
            case ArgKind::Value: out.values_[s.name] = {vm[s.name].as<std::string>()}; break;
            case ArgKind::List:
            case ArgKind::KeyValue: out.values_[s.name] = vm[s.name].as<std::vector<std::string>>(); break;
        }
        if (!s.choices.empty())
            for (auto& v : out.values_[s.name]) {
                // any case, as GDAL takes format names (-f csv); the tool sees the table's spelling
                const auto same = [&v](const std::string& c) { return strcasecmp(c.c_str(), v.c_str()) == 0; };
                const auto it = std::find_if(s.choices.begin(), s.choices.end(), same);
                if (it == s.choices.end()) {
                    std::string all;
                    for (const auto& c : s.choices) all += (all.empty() ? "" : ", ") + c;
                    throw UsageError("--" + s.name + ": expected one of " + all + ", got '" + v + "'");
                }
                v = *it;
            }
    }
    if (vm.count(kPositionalKey)) out.positionals_ = vm[kPositionalKey].as<std::vector<std::string>>();
    return out;
}

void ArgTable::print_synopsis(std::ostream& out, const std::string& program) const {
    out << program << " [OPTIONS]";
    for (const auto& p : positionals_) out << ' ' << p.metavar;
}

void ArgTable::print_help(std::ostream& out, const std::string& program, const std::string& summary) const {
    out << "Usage: ";
    print_synopsis(out, program);
    out << "\n\n" << summary << "\n";
    constexpr std::size_t kLeft = 30, kWidth = 79;
    if (!positionals_.empty()) {
        out << "\nArguments:\n";
        for (const auto& p : positionals_) {
            const auto lines = wrap(p.help, kWidth - kLeft);
            for (std::size_t i = 0; i < lines.size(); ++i) {
                std::string left = i == 0 ? "  " + p.metavar : std::string();
                left.resize(std::max(left.size() + 1, kLeft), ' ');
                out << left << lines[i] << "\n";
            }
        }
    }
    for (const auto& g : groups_in_order(specs_)) {
        out << "\n" << g << ":\n";
        for (const auto& s : specs_) {
            if (s.hidden || s.group != g) continue;
            std::string left = "  " + left_column(s);
            const auto lines = wrap(full_help(s), kWidth - kLeft);
            if (left.size() >= kLeft) {
                out << left << "\n";
                left.clear();
            }
            for (std::size_t i = 0; i < lines.size(); ++i) {
                std::string l = i == 0 ? left : std::string();
                l.resize(kLeft, ' ');
                out << l << lines[i] << "\n";
            }
        }
    }
    out << "\nSee " << program << "(1) for details and examples.\n";
}

void ArgTable::print_markdown(std::ostream& out) const {
    // Help text is prose, not Markdown: keep go-md2man from reading L*L or
    // emb_ as emphasis (or a backslash as an escape).
    const auto escape = [](const std::string& text) {
        std::string e;
        for (char c : text) {
            if (c == '\\' || c == '*' || c == '_' || c == '`' || c == '<') e += '\\';
            e += c;
        }
        return e;
    };
    for (const auto& g : groups_in_order(specs_)) {
        out << "### " << g << "\n\n";
        for (const auto& s : specs_) {
            if (s.hidden || s.group != g) continue;
            out << "**";
            if (s.short_name) out << "-" << s.short_name << "**, **";
            out << "\\-\\-" << s.name << "**";
            if (s.kind == ArgKind::KeyValue) out << " *KEY* *VALUE*";
            else if (s.kind != ArgKind::Flag) out << " *" << s.metavar << "*";
            out << "\n:   " << escape(full_help(s)) << "\n\n";
        }
    }
}

void ArgTable::print_option_list(std::ostream& out) const {
    for (const auto& s : specs_) {
        if (s.hidden) continue;
        out << "--" << s.name << '\t' << (s.short_name ? std::string("-") + s.short_name : "") << '\t'
            << kind_name(s.kind) << '\t' << complete_name(s.complete) << '\t';
        for (std::size_t i = 0; i < s.choices.size(); ++i) out << (i ? "," : "") << s.choices[i];
        out << '\n';
    }
    for (const auto& p : positionals_) out << "@positional\t" << p.metavar << '\t' << complete_name(p.complete) << '\n';
}

}  // namespace geoenc::cli
