#pragma once
// The values a PyTorch checkpoint's data.pkl can hold, as plain data. The safe
// unpickler builds only these; nothing from the file is ever executed.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace geoenc::checkpoint {

enum class Kind : std::uint8_t {
    None,
    Bool,
    Int,
    Float,
    String,   // text (a Python str), kept as the file's UTF-8 bytes
    Bytes,
    List,     // also what sets and frozensets become
    Tuple,
    Dict,     // dict and collections.OrderedDict
    Tensor,   // torch._utils._rebuild_tensor_v2 / _rebuild_parameter
    Storage,  // a persistent-load storage: a flat 1-D tensor
    Global,   // a class or function reference "module.name", never resolved
    Object,   // the result of calling / instantiating an unknown Global: args + state, inert
};

const char* kind_name(Kind kind);

// One node. Children are pointers into the owning Document, so shared
// references (the pickle memo) and the file's own sharing are kept as-is.
struct Value {
    Kind kind = Kind::None;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text;                                // String, Bytes; Global/Object: "module.name"
    std::vector<const Value*> items;                 // List, Tuple; Object: call args then appended items
    std::vector<std::pair<const Value*, const Value*>> entries;  // Dict; Object: SETITEMS + BUILD state
    at::Tensor tensor;                               // Tensor, Storage
    const Value* state = nullptr;                    // Object: what BUILD passed (kept by reference)
};

// Owns every Value of one unpickled file. A deque keeps node addresses
// stable while the unpickler appends. The graph is acyclic and its nesting is
// bounded (the unpickler checks), so consumers may recurse safely.
class Document {
public:
    Document() = default;
    // Nodes point at each other: moving keeps addresses, copying would not.
    Document(Document&&) = default;
    Document& operator=(Document&&) = default;
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    Value& make(Kind kind) {
        nodes_.emplace_back();
        nodes_.back().kind = kind;
        return nodes_.back();
    }
    std::size_t size() const { return nodes_.size(); }
    const Value& root() const { return *root_; }
    void set_root(const Value* root) { root_ = root; }

private:
    std::deque<Value> nodes_;
    const Value* root_ = nullptr;
};

// Dict-like lookup by string key: a Dict's entries, or an Object's entries and
// then its BUILD state (a dict, or the dicts in a (dict, slots) tuple). The last
// entry wins, as when Python assigns a key twice. nullptr when absent.
const Value* find_key(const Value& dict, std::string_view key);
bool is_dict_like(const Value& v);

}  // namespace geoenc::checkpoint
