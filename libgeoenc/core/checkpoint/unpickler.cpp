// The opcode set follows CPython's pickle format description (Lib/pickletools.py
// documents every opcode); this is an independent implementation that only
// builds inert data. Protocol-0 text opcodes, extension registry codes and
// out-of-band buffers are not produced by torch.save and are rejected.
#include "core/checkpoint/unpickler.h"

#include <cstring>
#include <new>
#include <unordered_map>
#include <vector>

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include "core/errors.h"

namespace geoenc::checkpoint {
namespace {

// torch.<Name>Storage -> element type; these are the names torch.save writes.
bool storage_dtype(const std::string& global, at::ScalarType& out) {
    static const std::pair<const char*, at::ScalarType> table[] = {
        {"torch.DoubleStorage", at::kDouble},          {"torch.FloatStorage", at::kFloat},
        {"torch.HalfStorage", at::kHalf},              {"torch.BFloat16Storage", at::kBFloat16},
        {"torch.LongStorage", at::kLong},              {"torch.IntStorage", at::kInt},
        {"torch.ShortStorage", at::kShort},            {"torch.CharStorage", at::kChar},
        {"torch.ByteStorage", at::kByte},              {"torch.BoolStorage", at::kBool},
        {"torch.ComplexFloatStorage", at::kComplexFloat}, {"torch.ComplexDoubleStorage", at::kComplexDouble},
        {"torch.UntypedStorage", at::kByte},
    };
    for (const auto& [name, type] : table)
        if (global == name) {
            out = type;
            return true;
        }
    return false;
}

class Unpickler {
public:
    Unpickler(std::string_view in, const StorageLoader& loader, const std::string& source, const UnpickleLimits& lim)
        : in_(in), loader_(loader), source_(source), lim_(lim) {}

    Document run() {
        if (in_.size() > lim_.max_bytes) fail("larger than the " + std::to_string(lim_.max_bytes) + "-byte limit");
        while (pos_ < in_.size()) {
            op_pos_ = pos_;
            const auto op = static_cast<unsigned char>(in_[pos_++]);
            if (op == '.') {  // STOP
                Value* result = pop();
                check_graph(result);
                doc_.set_root(result);
                return std::move(doc_);
            }
            step(op);
        }
        op_pos_ = pos_;
        fail("truncated: no STOP opcode");
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw DataError(source_ + ": data.pkl byte " + std::to_string(op_pos_) + ": " + what);
    }

    // ---- input -------------------------------------------------------------
    std::string_view take(std::uint64_t n) {
        if (n > in_.size() - pos_) fail("truncated: needs " + std::to_string(n) + " more bytes, " +
                                        std::to_string(in_.size() - pos_) + " left");
        const std::string_view s = in_.substr(pos_, std::size_t(n));
        pos_ += std::size_t(n);
        return s;
    }
    std::uint64_t le(std::size_t n) {  // unsigned little-endian
        const std::string_view s = take(n);
        std::uint64_t v = 0;
        for (std::size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(s[i]);
        return v;
    }
    std::string line() {  // GLOBAL's "module\n" / "name\n"; names are short
        const std::size_t max_len = 1024;
        const std::size_t end = in_.find('\n', pos_);
        if (end == std::string_view::npos) fail("truncated: GLOBAL name without newline");
        if (end - pos_ > max_len) fail("GLOBAL name longer than 1024 bytes");
        std::string s(in_.substr(pos_, end - pos_));
        pos_ = end + 1;
        return s;
    }

    // ---- values and the stack ----------------------------------------------
    Value& make(Kind kind) {
        if (doc_.size() >= lim_.max_values) fail("more than " + std::to_string(lim_.max_values) + " values");
        return doc_.make(kind);
    }
    std::size_t frame_base() const { return marks_.empty() ? 0 : marks_.back(); }
    void push(Value* v) { stack_.push_back(v); }
    Value* pop() {
        if (stack_.size() <= frame_base()) fail("stack underflow");
        Value* v = stack_.back();
        stack_.pop_back();
        return v;
    }
    Value* top() {
        if (stack_.size() <= frame_base()) fail("stack underflow");
        return stack_.back();
    }
    // Items above the last MARK, removed from the stack together with the mark.
    std::vector<Value*> pop_mark() {
        if (marks_.empty()) fail("no MARK on the stack");
        const std::size_t base = marks_.back();
        marks_.pop_back();
        std::vector<Value*> items(stack_.begin() + std::ptrdiff_t(base), stack_.end());
        stack_.resize(base);
        return items;
    }
    Value* expect(Value* v, Kind kind, const char* what) {
        if (v->kind != kind)
            fail(std::string(what) + " must be a " + kind_name(kind) + ", got a " + kind_name(v->kind));
        return v;
    }
    static std::vector<const Value*> as_const(const std::vector<Value*>& v) { return {v.begin(), v.end()}; }

    void push_int(std::int64_t i) {
        Value& v = make(Kind::Int);
        v.integer = i;
        push(&v);
    }
    void push_text(Kind kind, std::string_view s) {
        Value& v = make(kind);
        v.text.assign(s.data(), s.size());
        push(&v);
    }
    // LONG1 / LONG4: two's complement, little-endian; we keep int64 only.
    void push_long(std::uint64_t n) {
        if (n > 8) fail("integer wider than 64 bits");
        const std::string_view s = take(n);
        std::uint64_t v = 0;
        for (std::size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(s[i]);
        if (n > 0 && n < 8 && (static_cast<unsigned char>(s[n - 1]) & 0x80)) v |= ~std::uint64_t(0) << (8 * n);
        push_int(static_cast<std::int64_t>(v));
    }

    void memo_put(std::uint64_t index) {
        Value* v = top();
        auto it = memo_.find(index);
        if (it == memo_.end()) {
            if (memo_.size() >= lim_.max_memo) fail("more than " + std::to_string(lim_.max_memo) + " memo entries");
            memo_.emplace(index, v);
        } else {
            it->second = v;
        }
    }
    void memo_get(std::uint64_t index) {
        auto it = memo_.find(index);
        if (it == memo_.end()) fail("memo entry " + std::to_string(index) + " was never stored");
        push(it->second);
    }

    void add_entries(Value* target, const std::vector<Value*>& kv) {
        if (!is_dict_like(*target)) fail(std::string("SETITEMS on a ") + kind_name(target->kind));
        if (kv.size() % 2 != 0) fail("SETITEMS with an odd number of items");
        for (std::size_t i = 0; i < kv.size(); i += 2) target->entries.emplace_back(kv[i], kv[i + 1]);
    }
    void add_items(Value* target, const std::vector<Value*>& items) {
        if (target->kind != Kind::List && target->kind != Kind::Object)
            fail(std::string("APPEND on a ") + kind_name(target->kind));
        target->items.insert(target->items.end(), items.begin(), items.end());
    }

    // ---- torch-specific ------------------------------------------------------
    // BINPERSID ('storage', torch.XStorage, key, location, numel).
    Value* persistent_load(Value* pid) {
        if (pid->kind != Kind::Tuple || pid->items.size() != 5 || pid->items[0]->kind != Kind::String ||
            pid->items[0]->text != "storage")
            fail("persistent id is not ('storage', type, key, location, numel)");
        const Value& type = *pid->items[1];
        const Value& key = *pid->items[2];
        const Value& numel = *pid->items[4];
        at::ScalarType dtype{};
        if (type.kind != Kind::Global || !storage_dtype(type.text, dtype))
            fail("unknown storage type " + (type.kind == Kind::Global ? type.text : std::string(kind_name(type.kind))));
        if (key.kind != Kind::String || key.text.empty() || key.text.size() > 256)
            fail("storage key is not a short string");
        if (numel.kind != Kind::Int || numel.integer < 0) fail("storage size is not a non-negative int");
        const auto elem = std::int64_t(c10::elementSize(dtype));
        if (numel.integer > INT64_MAX / elem) fail("storage of " + std::to_string(numel.integer) + " elements overflows");

        auto it = storages_.find(key.text);
        if (it != storages_.end()) {  // tensors sharing one storage get the same one
            if (it->second->tensor.scalar_type() != dtype)
                fail("storage " + key.text + " is used with two element types");
            return it->second;
        }
        at::Tensor t = loader_(StorageRequest{key.text, dtype, numel.integer});
        if (!t.defined() || t.scalar_type() != dtype || t.dim() != 1 || t.numel() != numel.integer ||
            !t.is_contiguous() || t.storage_offset() != 0)
            fail("storage " + key.text + " did not load as " + std::to_string(numel.integer) + " flat elements");
        Value& v = make(Kind::Storage);
        v.text = key.text;
        v.tensor = std::move(t);
        storages_.emplace(key.text, &v);
        return &v;
    }

    std::vector<std::int64_t> int_tuple(const Value* v, const char* what) {
        if (v->kind != Kind::Tuple) fail(std::string(what) + " is not a tuple");
        if (v->items.size() > lim_.max_dims) fail(std::string(what) + " has more than " + std::to_string(lim_.max_dims) + " dims");
        std::vector<std::int64_t> out;
        for (const Value* i : v->items) {
            if (i->kind != Kind::Int || i->integer < 0) fail(std::string(what) + " holds a non-int or a negative value");
            out.push_back(i->integer);
        }
        return out;
    }

    // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])
    Value* rebuild_tensor(const Value& args) {
        if (args.items.size() < 6 || args.items.size() > 7) fail("_rebuild_tensor_v2 takes 6 or 7 arguments");
        const Value& storage = *args.items[0];
        if (storage.kind != Kind::Storage) fail("_rebuild_tensor_v2 without a storage");
        const Value& offset_v = *args.items[1];
        if (offset_v.kind != Kind::Int || offset_v.integer < 0) fail("tensor offset is not a non-negative int");
        const std::vector<std::int64_t> size = int_tuple(args.items[2], "tensor size");
        const std::vector<std::int64_t> stride = int_tuple(args.items[3], "tensor stride");
        if (size.size() != stride.size()) fail("tensor size and stride differ in length");

        // Every element the view can touch must lie inside the storage.
        const std::int64_t offset = offset_v.integer, available = storage.tensor.numel();
        std::int64_t numel = 1, last = offset;
        for (std::size_t d = 0; d < size.size(); ++d) {
            std::int64_t span = 0;
            if (__builtin_mul_overflow(numel, size[d], &numel)) fail("tensor size overflows");
            if (size[d] > 0 && (__builtin_mul_overflow(size[d] - 1, stride[d], &span) ||
                                __builtin_add_overflow(last, span, &last)))
                fail("tensor extent overflows");
        }
        if (numel == 0 ? offset > available : last >= available)
            fail("tensor of " + std::to_string(numel) + " elements (offset " + std::to_string(offset) +
                 ") does not fit its storage " + storage.text + " of " + std::to_string(available) + " elements");
        Value& v = make(Kind::Tensor);
        v.tensor = storage.tensor.as_strided(size, stride, offset);
        return &v;
    }

    // REDUCE / NEWOBJ: only the known constructors build something; anything
    // else becomes an inert Object that just records what it was given.
    Value* call(Value* callable, Value* args, bool newobj) {
        expect(callable, Kind::Global, "the callable");
        expect(args, Kind::Tuple, "the arguments");
        const std::string& name = callable->text;
        if (name == "collections.OrderedDict" && args->items.empty()) return &make(Kind::Dict);
        if (!newobj && name == "torch._utils._rebuild_tensor_v2") return rebuild_tensor(*args);
        if (!newobj && (name == "torch._utils._rebuild_parameter" ||
                        name == "torch._utils._rebuild_parameter_with_state")) {
            if (args->items.empty() || args->items[0]->kind != Kind::Tensor) fail(name + " without a tensor");
            return const_cast<Value*>(args->items[0]);  // nodes are owned by doc_, mutable by design
        }
        Value& obj = make(Kind::Object);
        obj.text = name;
        obj.items = args->items;
        return &obj;
    }

    void step(unsigned char op) {
        switch (op) {
            // framing
            case 0x80: take(1); break;  // PROTO
            case 0x95: take(8); break;  // FRAME: a length hint only
            // stack manipulation
            case '(':
                if (marks_.size() >= lim_.max_depth) fail("MARKs nested deeper than " + std::to_string(lim_.max_depth));
                marks_.push_back(stack_.size());
                break;
            case '0':  // POP: an empty frame means the MARK itself is popped
                if (stack_.size() > frame_base()) stack_.pop_back();
                else pop_mark();
                break;
            case '1': pop_mark(); break;  // POP_MARK
            case '2': push(top()); break;  // DUP
            // scalars
            case 'N': push(&make(Kind::None)); break;
            case 0x88:
            case 0x89: {
                Value& v = make(Kind::Bool);
                v.boolean = op == 0x88;
                push(&v);
                break;
            }
            case 'J': push_int(static_cast<std::int32_t>(static_cast<std::uint32_t>(le(4)))); break;  // BININT
            case 'K': push_int(std::int64_t(le(1))); break;                                          // BININT1
            case 'M': push_int(std::int64_t(le(2))); break;                                          // BININT2
            case 0x8a: push_long(le(1)); break;                                                      // LONG1
            case 0x8b: {                                                                             // LONG4
                const auto n = static_cast<std::int32_t>(static_cast<std::uint32_t>(le(4)));
                if (n < 0) fail("negative LONG4 length");
                push_long(std::uint64_t(n));
                break;
            }
            case 'G': {  // BINFLOAT: big-endian IEEE double
                const std::string_view s = take(8);
                std::uint64_t bits = 0;
                for (char c : s) bits = (bits << 8) | static_cast<unsigned char>(c);
                Value& v = make(Kind::Float);
                std::memcpy(&v.real, &bits, sizeof bits);
                push(&v);
                break;
            }
            // strings and bytes (lengths are checked against the remaining input by take)
            case 0x8c: push_text(Kind::String, take(le(1))); break;  // SHORT_BINUNICODE
            case 'X': push_text(Kind::String, take(le(4))); break;   // BINUNICODE
            case 0x8d: push_text(Kind::String, take(le(8))); break;  // BINUNICODE8
            case 'U': push_text(Kind::String, take(le(1))); break;   // SHORT_BINSTRING (Python 2 str)
            case 'T': {                                              // BINSTRING
                const auto n = static_cast<std::int32_t>(static_cast<std::uint32_t>(le(4)));
                if (n < 0) fail("negative BINSTRING length");
                push_text(Kind::String, take(std::uint64_t(n)));
                break;
            }
            case 'C': push_text(Kind::Bytes, take(le(1))); break;   // SHORT_BINBYTES
            case 'B': push_text(Kind::Bytes, take(le(4))); break;   // BINBYTES
            case 0x8e:                                              // BINBYTES8
            case 0x96: push_text(Kind::Bytes, take(le(8))); break;  // BYTEARRAY8
            // containers
            case ']': push(&make(Kind::List)); break;
            case 0x8f: push(&make(Kind::List)); break;  // EMPTY_SET: sets are lists here
            case ')': push(&make(Kind::Tuple)); break;
            case '}': push(&make(Kind::Dict)); break;
            case 'l':
            case 0x91: {  // LIST, FROZENSET
                Value& v = make(Kind::List);
                v.items = as_const(pop_mark());
                push(&v);
                break;
            }
            case 't': {  // TUPLE
                Value& v = make(Kind::Tuple);
                v.items = as_const(pop_mark());
                push(&v);
                break;
            }
            case 0x85:
            case 0x86:
            case 0x87: {  // TUPLE1..3
                const std::size_t n = std::size_t(op - 0x84);
                std::vector<const Value*> items(n);
                for (std::size_t i = n; i-- > 0;) items[i] = pop();
                Value& v = make(Kind::Tuple);
                v.items = std::move(items);
                push(&v);
                break;
            }
            case 'd': {  // DICT
                const std::vector<Value*> kv = pop_mark();
                Value& v = make(Kind::Dict);
                add_entries(&v, kv);
                push(&v);
                break;
            }
            case 'a': {  // APPEND
                Value* item = pop();
                add_items(top(), {item});
                break;
            }
            case 'e':     // APPENDS
            case 0x90: {  // ADDITEMS
                const std::vector<Value*> items = pop_mark();
                add_items(top(), items);
                break;
            }
            case 's': {  // SETITEM
                Value* value = pop();
                Value* key = pop();
                add_entries(top(), {key, value});
                break;
            }
            case 'u': {  // SETITEMS
                const std::vector<Value*> kv = pop_mark();
                add_entries(top(), kv);
                break;
            }
            // memo
            case 'q': memo_put(le(1)); break;                  // BINPUT
            case 'r': memo_put(le(4)); break;                  // LONG_BINPUT
            case 0x94: memo_put(memo_.size()); break;          // MEMOIZE
            case 'h': memo_get(le(1)); break;                  // BINGET
            case 'j': memo_get(le(4)); break;                  // LONG_BINGET
            // globals and calls: names only, never resolved or run
            case 'c': {  // GLOBAL
                std::string module = line();
                std::string name = line();
                Value& v = make(Kind::Global);
                v.text = module + "." + name;
                push(&v);
                break;
            }
            case 0x93: {  // STACK_GLOBAL
                Value* name = expect(pop(), Kind::String, "STACK_GLOBAL name");
                Value* module = expect(pop(), Kind::String, "STACK_GLOBAL module");
                Value& v = make(Kind::Global);
                v.text = module->text + "." + name->text;
                push(&v);
                break;
            }
            case 'R': {  // REDUCE
                Value* args = pop();
                Value* callable = pop();
                push(call(callable, args, false));
                break;
            }
            case 0x81: {  // NEWOBJ
                Value* args = pop();
                Value* cls = pop();
                push(call(cls, args, true));
                break;
            }
            case 0x92: {  // NEWOBJ_EX: kwargs become the object's entries
                Value* kwargs = expect(pop(), Kind::Dict, "NEWOBJ_EX kwargs");
                Value* args = pop();
                Value* cls = pop();
                Value* obj = call(cls, args, true);
                if (obj->kind == Kind::Dict) {  // OrderedDict(**kw): keep kw as a fresh object instead
                    obj->kind = Kind::Object;
                    obj->text = cls->text;
                }
                obj->entries.insert(obj->entries.end(), kwargs->entries.begin(), kwargs->entries.end());
                push(obj);
                break;
            }
            case 'b': {  // BUILD
                Value* state = pop();
                Value* target = top();
                // An Object keeps its state by reference (no copying, so repeated
                // BUILDs stay linear). Dict state is OrderedDict attributes such as
                // a state dict's _metadata, and tensors carry none we use: dropped.
                if (target->kind == Kind::Object) target->state = state;
                else if (target->kind != Kind::Dict && target->kind != Kind::Tensor)
                    fail(std::string("BUILD on a ") + kind_name(target->kind));
                break;
            }
            case 'Q': {  // BINPERSID
                Value* pid = pop();
                push(persistent_load(pid));
                break;
            }
            default: {
                static const char* hex = "0123456789abcdef";
                std::string code = "0x";
                code += hex[op >> 4];
                code += hex[op & 15];
                fail("unsupported opcode " + code);
            }
        }
    }

    // The result must be acyclic and not too deeply nested, so that code
    // walking it (recursively or not) always terminates. Iterative DFS with
    // colours; depth is the longest path, computed once per node.
    void check_graph(const Value* root) {
        enum : std::uint8_t { kOpen = 1, kDone = 2 };
        struct Info {
            std::uint8_t colour = 0;
            std::size_t depth = 0;
        };
        std::unordered_map<const Value*, Info> info;
        auto children = [](const Value* v) {
            std::vector<const Value*> c(v->items.begin(), v->items.end());
            for (const auto& [k, x] : v->entries) {
                c.push_back(k);
                c.push_back(x);
            }
            if (v->state) c.push_back(v->state);
            return c;
        };
        struct Frame {
            const Value* node;
            std::vector<const Value*> kids;
            std::size_t next = 0;
        };
        std::vector<Frame> path;
        info[root].colour = kOpen;
        path.push_back({root, children(root)});
        while (!path.empty()) {
            Frame& f = path.back();
            if (f.next < f.kids.size()) {
                const Value* kid = f.kids[f.next++];
                Info& k = info[kid];
                if (k.colour == kOpen) fail("the data refers to itself (a cycle)");
                if (k.colour == kDone) continue;
                if (path.size() >= lim_.max_depth) fail("containers nested deeper than " + std::to_string(lim_.max_depth));
                k.colour = kOpen;
                path.push_back({kid, children(kid)});
                continue;
            }
            std::size_t depth = 0;
            for (const Value* kid : f.kids) depth = std::max(depth, info[kid].depth + 1);
            if (depth >= lim_.max_depth) fail("containers nested deeper than " + std::to_string(lim_.max_depth));
            Info& me = info[f.node];
            me.colour = kDone;
            me.depth = depth;
            path.pop_back();
        }
    }

    std::string_view in_;
    const StorageLoader& loader_;
    const std::string& source_;
    const UnpickleLimits& lim_;
    std::size_t pos_ = 0, op_pos_ = 0;
    Document doc_;
    std::vector<Value*> stack_;
    std::vector<std::size_t> marks_;
    std::unordered_map<std::uint64_t, Value*> memo_;
    std::unordered_map<std::string, Value*> storages_;
};

}  // namespace

Document unpickle(std::string_view bytes, const StorageLoader& load_storage, const std::string& source,
                  const UnpickleLimits& limits) {
    try {
        return Unpickler(bytes, load_storage, source, limits).run();
    } catch (const DataError&) {
        throw;
    } catch (const c10::Error& e) {
        throw DataError(source + ": data.pkl: " + e.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        throw DataError(source + ": data.pkl: out of memory while reading");
    }
}

}  // namespace geoenc::checkpoint
