#pragma once
// One self-describing table of a tool's arguments. It drives the parser
// (Boost.ProgramOptions), --help, the OPTIONS section of the man page
// (--help-markdown) and the shell completion word list (--list-options), so
// the three cannot drift apart.
#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace geoenc::cli {

enum class ArgKind {
    Flag,      // --overwrite
    Value,     // --layer NAME
    List,      // --oo NAME=VALUE, repeatable
    KeyValue,  // --config KEY VALUE, repeatable (two tokens, or KEY=VALUE)
};

// How a shell should complete the option's value.
enum class CompleteAs { None, File, Choice, VectorFormat, RasterFormat, Crs };

struct ArgSpec {
    std::string name;  // long name, without dashes
    char short_name = 0;
    ArgKind kind = ArgKind::Flag;
    std::string metavar;
    std::string help;
    std::string group;  // section in --help and the man page
    std::vector<std::string> choices;
    std::string default_value;
    CompleteAs complete = CompleteAs::None;
    bool hidden = false;  // machinery for docs and completion, not for users
    // Value options of GDAL's multi-number form (--te XMIN YMIN XMAX YMAX): this
    // many tokens, joined by single spaces into the one value.
    int tokens = 1;
};

struct PositionalSpec {
    std::string metavar;  // INPUT
    std::string help;
    CompleteAs complete = CompleteAs::File;
};

class ParsedArgs {
public:
    bool flag(const std::string& name) const;
    bool given(const std::string& name) const;
    std::string value(const std::string& name) const;  // the default when absent
    std::vector<std::string> list(const std::string& name) const;
    std::vector<std::pair<std::string, std::string>> pairs(const std::string& name) const;
    const std::vector<std::string>& positionals() const { return positionals_; }

private:
    friend class ArgTable;
    std::map<std::string, std::vector<std::string>> values_;
    std::map<std::string, std::string> defaults_;
    std::vector<std::string> positionals_;
};

class ArgTable {
public:
    ArgTable& add(ArgSpec spec);
    ArgTable& positional(PositionalSpec spec);

    // Throws UsageError naming the offending option.
    ParsedArgs parse(int argc, const char* const* argv) const;

    void print_help(std::ostream& out, const std::string& program, const std::string& summary) const;
    void print_synopsis(std::ostream& out, const std::string& program) const;
    void print_markdown(std::ostream& out) const;
    // One line per option: "--name\t-s\tkind\tcomplete\tchoice1,choice2"; then "@positional\tMETAVAR\tcomplete".
    void print_option_list(std::ostream& out) const;

    const std::vector<ArgSpec>& specs() const { return specs_; }

private:
    const ArgSpec* find(const std::string& name) const;
    std::vector<ArgSpec> specs_;
    std::vector<PositionalSpec> positionals_;
};

}  // namespace geoenc::cli
