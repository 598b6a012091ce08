#include "core/checkpoint/pickle_value.h"

namespace geoenc::checkpoint {

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::None: return "None";
        case Kind::Bool: return "bool";
        case Kind::Int: return "int";
        case Kind::Float: return "float";
        case Kind::String: return "str";
        case Kind::Bytes: return "bytes";
        case Kind::List: return "list";
        case Kind::Tuple: return "tuple";
        case Kind::Dict: return "dict";
        case Kind::Tensor: return "tensor";
        case Kind::Storage: return "storage";
        case Kind::Global: return "global";
        case Kind::Object: return "object";
    }
    return "?";
}

bool is_dict_like(const Value& v) { return v.kind == Kind::Dict || v.kind == Kind::Object; }

namespace {
const Value* find_entry(const Value& dict, std::string_view key) {
    for (auto it = dict.entries.rbegin(); it != dict.entries.rend(); ++it)
        if (it->first->kind == Kind::String && it->first->text == key) return it->second;
    return nullptr;
}
}  // namespace

const Value* find_key(const Value& dict, std::string_view key) {
    if (!is_dict_like(dict)) return nullptr;
    if (const Value* v = find_entry(dict, key)) return v;
    if (dict.kind != Kind::Object || dict.state == nullptr) return nullptr;
    // Only one level: a state is plain data, never another object's state chain.
    const Value& state = *dict.state;
    if (state.kind == Kind::Dict) return find_entry(state, key);
    if (state.kind == Kind::Tuple)
        for (auto it = state.items.rbegin(); it != state.items.rend(); ++it)
            if ((*it)->kind == Kind::Dict)
                if (const Value* v = find_entry(**it, key)) return v;
    return nullptr;
}

}  // namespace geoenc::checkpoint
