#include "core/model_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/checkpoint/sha256.h"
#include "core/checkpoint/state_dict.h"
#include "core/errors.h"
#include "core/model_info.h"
#include "core/model_spec.h"
#include "core/positional_encoding.h"
#include "core/runtime.h"

namespace geoenc {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// safetensors' own limit on the header; a larger length means a corrupt file.
constexpr std::uint64_t kMaxHeaderBytes = std::uint64_t(100) << 20;

struct Dtype {
    const char* code;  // safetensors name
    at::ScalarType type;
    std::size_t size;
    const char* label;  // what `geoenc-model info` prints
};
// The dtypes a geoenc model may store its weights in.
const Dtype kDtypes[] = {
    {"F32", at::kFloat, 4, "float32"},
    {"F64", at::kDouble, 8, "float64"},
    {"F16", at::kHalf, 2, "float16"},
    {"BF16", at::kBFloat16, 2, "bfloat16"},
};
// Other safetensors dtypes: valid safetensors, but not weights of a geoenc model.
const char* const kOtherDtypes[] = {"BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64", "U64",
                                    "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"};

const Dtype* dtype_by_code(const std::string& code) {
    for (const auto& d : kDtypes)
        if (code == d.code) return &d;
    return nullptr;
}

const Dtype* dtype_by_type(at::ScalarType t) {
    for (const auto& d : kDtypes)
        if (t == d.type) return &d;
    return nullptr;
}

bool little_endian_host() {
    const std::uint16_t one = 1;
    unsigned char first = 0;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

std::string base_name(const std::string& path) { return fs::path(path).filename().string(); }

std::string created_by() { return "geoenc " + geoenc_version(); }

// nlohmann's messages start with "[json.exception.parse_error.101] "; keep what follows.
std::string json_message(const json::exception& e) {
    std::string m = e.what();
    if (!m.empty() && m[0] == '[') {
        const auto close = m.find("] ");
        if (close != std::string::npos) m = m.substr(close + 2);
    }
    return m;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The positional encoding of a spec, or DataError naming `where`.
std::unique_ptr<PositionalEncoding> positional_encoding_of(const std::string& spec, const std::string& where) {
    try {
        return make_positional_encoding(parse_model_spec(spec));
    } catch (const UsageError& e) {
        throw DataError(where + ": positional_encoding '" + spec + "' is not valid: " + e.what());
    }
}

// --- the config (a JSON string in __metadata__) ------------------------------------

json config_json(const ModelFileConfig& c) {
    json j = json::object();
    j["positional_encoding"] = c.positional_encoding;
    j["network"] = c.network;
    if (c.network == "siren") {
        j["w0_initial"] = c.w0_initial;
        j["w0"] = c.w0;
    }
    j["widths"] = c.widths;
    j["dim"] = c.dim;
    j["source"] = c.source;
    j["source_sha256"] = c.source_sha256;
    j["created_by"] = c.created_by;
    if (c.predictor) {
        const PredictorSpec& p = *c.predictor;
        json q = json::object();
        q["task"] = to_string(p.task);
        q["target"] = p.target;
        if (p.task == Task::Classification) q["labels"] = p.labels;
        else {
            q["mean"] = p.mean;
            q["scale"] = p.scale;
        }
        q["head"] = p.head;
        if (p.head != "none") q["head_widths"] = c.head_widths;
        q["training"] = p.training.empty() ? json::object() : json::parse(p.training);
        j["predictor"] = q;
    }
    return j;
}

// The "predictor" object of a trained model's config.
PredictorSpec parse_predictor(const json& q, const std::string& where, std::vector<int64_t>& head_widths) {
    if (!q.is_object()) throw DataError(where + ": \"predictor\" is not a JSON object");
    auto text = [&](const char* key) -> std::string {
        auto it = q.find(key);
        if (it == q.end() || !it->is_string()) throw DataError(where + ": predictor: missing or non-string \"" + std::string(key) + "\"");
        return it->get<std::string>();
    };
    auto number = [&](const char* key) -> double {
        auto it = q.find(key);
        if (it == q.end() || !it->is_number() || !std::isfinite(it->get<double>()))
            throw DataError(where + ": predictor: missing or non-finite \"" + std::string(key) + "\"");
        return it->get<double>();
    };
    PredictorSpec p;
    const std::string task = text("task");
    if (task == "classification") {
        p.task = Task::Classification;
        auto labels = q.find("labels");
        if (labels == q.end() || !labels->is_array()) throw DataError(where + ": predictor: missing \"labels\" array");
        for (const auto& l : *labels) {
            if (!l.is_string()) throw DataError(where + ": predictor: a label is not a string");
            p.labels.push_back(l.get<std::string>());
        }
        if (p.labels.size() < 2) throw DataError(where + ": predictor: a classifier needs at least 2 labels");
        if (std::set<std::string>(p.labels.begin(), p.labels.end()).size() != p.labels.size())
            throw DataError(where + ": predictor: a label occurs twice");
    } else if (task == "regression") {
        p.task = Task::Regression;
        p.mean = number("mean");
        p.scale = number("scale");
    } else {
        throw DataError(where + ": predictor: task '" + task + "' is not classification or regression");
    }
    p.target = text("target");
    p.head = text("head");
    if (p.head != "none" && p.head != "linear" && p.head != "mlp")
        throw DataError(where + ": predictor: head '" + p.head + "' is not none, linear or mlp");
    if (p.head != "none") {
        auto w = q.find("head_widths");
        if (w == q.end() || !w->is_array()) throw DataError(where + ": predictor: missing \"head_widths\"");
        for (const auto& v : *w) {
            if (!v.is_number_unsigned()) throw DataError(where + ": predictor: \"head_widths\" must hold whole numbers");
            head_widths.push_back(int64_t(v.get<std::uint64_t>()));
        }
    }
    auto t = q.find("training");
    if (t != q.end()) p.training = dump(*t);
    return p;
}

ModelFileConfig parse_config(const std::string& text, const std::string& name) {
    const std::string where = name + ": config";
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        throw DataError(where + " is not valid JSON: " + json_message(e));
    }
    if (!j.is_object()) throw DataError(where + " is not a JSON object");
    auto string_field = [&](const char* key, bool required) -> std::string {
        auto it = j.find(key);
        if (it == j.end()) {
            if (required) throw DataError(where + ": missing \"" + key + "\"");
            return "";
        }
        if (!it->is_string()) throw DataError(where + ": \"" + key + "\" is not a string");
        return it->get<std::string>();
    };
    auto number_field = [&](const char* key) -> double {
        auto it = j.find(key);
        if (it == j.end()) throw DataError(where + ": missing \"" + key + "\"");
        if (!it->is_number()) throw DataError(where + ": \"" + key + "\" is not a number");
        const double v = it->get<double>();
        if (!std::isfinite(v)) throw DataError(where + ": \"" + key + "\" is not finite");
        return v;
    };
    auto count = [&](const json& v, const char* key) -> int64_t {
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() > std::uint64_t(1) << 40)
            throw DataError(where + ": \"" + key + "\" must hold whole numbers >= 0");
        return int64_t(v.get<std::uint64_t>());
    };
    ModelFileConfig c;
    c.positional_encoding = string_field("positional_encoding", true);
    c.network = string_field("network", true);
    if (c.network != "siren" && c.network != "fcnet" && c.network != "linear" && c.network != "none")
        throw DataError(where + ": network '" + c.network + "' is not siren, fcnet, linear or none");
    if (c.network == "siren") {
        c.w0_initial = number_field("w0_initial");
        c.w0 = number_field("w0");
    }
    auto widths = j.find("widths");
    if (widths == j.end()) throw DataError(where + ": missing \"widths\"");
    if (!widths->is_array()) throw DataError(where + ": \"widths\" is not an array");
    for (const auto& w : *widths) c.widths.push_back(count(w, "widths"));
    auto dim = j.find("dim");
    if (dim == j.end()) throw DataError(where + ": missing \"dim\"");
    c.dim = count(*dim, "dim");
    c.source = string_field("source", false);
    c.source_sha256 = string_field("source_sha256", false);
    c.created_by = string_field("created_by", false);
    if (auto p = j.find("predictor"); p != j.end()) c.predictor = parse_predictor(*p, where, c.head_widths);
    return c;
}

std::string widths_text(const std::vector<int64_t>& w) {
    std::string s = "[";
    for (std::size_t i = 0; i < w.size(); ++i) s += (i ? ", " : "") + std::to_string(w[i]);
    return s + "]";
}

// --- the safetensors container -------------------------------------------------------

struct TensorEntry {
    std::string name;
    const Dtype* dtype = nullptr;
    std::vector<int64_t> shape;
    std::uint64_t begin = 0, end = 0;
};

TensorEntry parse_entry(const std::string& tensor, const json& v, std::uint64_t buffer_size, const std::string& name) {
    const std::string where = name + ": tensor '" + tensor + "'";
    if (!v.is_object()) throw DataError(where + ": expected {dtype, shape, data_offsets}");
    for (auto it = v.begin(); it != v.end(); ++it)
        if (it.key() != "dtype" && it.key() != "shape" && it.key() != "data_offsets")
            throw DataError(where + ": unknown field \"" + it.key() + "\"");
    TensorEntry e;
    e.name = tensor;
    auto dtype = v.find("dtype");
    if (dtype == v.end() || !dtype->is_string()) throw DataError(where + ": missing or non-string \"dtype\"");
    const std::string code = dtype->get<std::string>();
    e.dtype = dtype_by_code(code);
    if (!e.dtype) {
        bool known = false;
        for (const char* o : kOtherDtypes) known = known || code == o;
        throw DataError(where + ": dtype " + code +
                        (known ? " is not a floating-point weight type (F32, F64, F16, BF16)" : " is unknown"));
    }
    auto shape = v.find("shape");
    if (shape == v.end() || !shape->is_array()) throw DataError(where + ": missing or non-array \"shape\"");
    if (shape->size() > 8) throw DataError(where + ": " + std::to_string(shape->size()) + " dimensions");
    // Element count, without overflow. The product of the non-zero extents is
    // bounded too, so that even an empty tensor has representable strides.
    constexpr std::uint64_t kMaxElements = std::uint64_t(1) << 62;
    std::uint64_t product = 1;
    bool empty = false;
    for (const auto& d : *shape) {
        if (!d.is_number_unsigned()) throw DataError(where + ": \"shape\" must hold whole numbers >= 0");
        const std::uint64_t n = d.get<std::uint64_t>();
        if (n == 0) {
            empty = true;
        } else {
            if (product > kMaxElements / n) throw DataError(where + ": shape is too large");
            product *= n;
        }
        e.shape.push_back(int64_t(n));
    }
    const std::uint64_t numel = empty ? 0 : product;
    auto offsets = v.find("data_offsets");
    if (offsets == v.end() || !offsets->is_array() || offsets->size() != 2 || !(*offsets)[0].is_number_unsigned() ||
        !(*offsets)[1].is_number_unsigned())
        throw DataError(where + ": \"data_offsets\" must be [BEGIN, END], whole numbers >= 0");
    e.begin = (*offsets)[0].get<std::uint64_t>();
    e.end = (*offsets)[1].get<std::uint64_t>();
    if (e.begin > e.end) throw DataError(where + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + "] run backwards");
    if (e.end > buffer_size)
        throw DataError(where + ": data_offsets end " + std::to_string(e.end) + " lies past the end of the data (" +
                        std::to_string(buffer_size) + " bytes; the file is truncated or corrupt)");
    if (numel > buffer_size || numel * e.dtype->size != e.end - e.begin)
        throw DataError(where + ": shape " + widths_text(e.shape) + " of " + code + " does not fill its " +
                        std::to_string(e.end - e.begin) + " bytes");
    return e;
}

}  // namespace

namespace {

// A probe head's tensors ("head.*", without the prefix) as a Network.
void read_head(LoadedModel& model, const TensorMap& head, const std::string& name) {
    const ModelFileConfig& c = model.config;
    const std::string kind = c.predictor ? c.predictor->head : "none";
    if (kind == "none") {
        if (!head.empty()) throw DataError(name + ": tensor 'head." + head.begin()->first + "' but the model has no head");
        return;
    }
    try {
        model.head = Network::from_weights(kind == "linear" ? NetKind::Linear : NetKind::FcNet, head);
    } catch (const std::exception& e) {
        throw DataError(name + ": head: " + e.what());
    }
    const TensorMap canonical = model.head->weights();
    for (const auto& [key, t] : head)
        if (canonical.count(key) == 0) throw DataError(name + ": tensor 'head." + key + "' is not part of a " + kind + " head");
    if (model.head->widths() != c.head_widths)
        throw DataError(name + ": config head_widths " + widths_text(c.head_widths) + " but the head's weights chain " +
                        widths_text(model.head->widths()));
}

// A trained model's outputs must be what its task says (K classes or 1 value).
void check_prediction_head(const LoadedModel& m, const std::string& name) {
    if (!m.config.predictor) return;
    try {
        make_prediction_head(m);
    } catch (const DataError& e) {
        throw DataError(name + ": " + e.what());
    }
}

// Plain dense layers of a head Network, in float64 for PredictionHead.
std::vector<HeadLayer> head_layers(const Network& net) {
    std::vector<HeadLayer> out;
    const TensorMap w = net.weights();
    auto layer = [&](const std::string& prefix, bool relu) {
        HeadLayer l;
        const at::Tensor weight = w.at(prefix + "weight").to(at::kDouble).contiguous();
        l.out = std::size_t(weight.size(0));
        l.in = std::size_t(weight.size(1));
        l.weight.assign(weight.data_ptr<double>(), weight.data_ptr<double>() + weight.numel());
        auto b = w.find(prefix + "bias");
        if (b != w.end()) {
            const at::Tensor bias = b->second.to(at::kDouble).contiguous();
            l.bias.assign(bias.data_ptr<double>(), bias.data_ptr<double>() + bias.numel());
        } else {
            l.bias.assign(l.out, 0.0);
        }
        l.relu = relu;
        out.push_back(std::move(l));
    };
    if (net.kind() == NetKind::Linear) {
        layer(w.count("fc.weight") ? "fc." : "", false);
    } else if (net.kind() == NetKind::FcNet && w.count("feats.0.weight") && w.count("class_emb.weight") &&
               w.size() <= 4) {
        layer("feats.0.", true);
        layer("class_emb.", false);
    } else {
        throw DataError("a probe head is a linear map or a one-hidden-layer MLP");
    }
    return out;
}

}  // namespace

std::unique_ptr<PredictionHead> make_prediction_head(const LoadedModel& m) {
    if (!m.config.predictor) return nullptr;
    std::vector<HeadLayer> layers;
    if (m.head) layers = head_layers(*m.head);
    const std::size_t in = std::size_t(m.config.dim);
    return std::make_unique<PredictionHead>(*m.config.predictor, std::move(layers), in);
}

bool is_model_file_path(const std::string& path) { return fs::path(path).extension() == kModelFileExtension; }

LoadedModel parse_model_file(const std::string& bytes, const std::string& name) {
    if (!little_endian_host()) throw DataError(name + ": .geoenc files are read on little-endian hosts only");
    const std::uint64_t size = bytes.size();
    if (size < 8) throw DataError(name + ": truncated (" + std::to_string(size) + " bytes): not a geoenc model file");
    std::uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[std::size_t(i)]);
    if (header_len > kMaxHeaderBytes)
        throw DataError(name + ": header length " + std::to_string(header_len) + " is over 100 MiB: not a geoenc model file");
    if (header_len > size - 8)
        throw DataError(name + ": header length " + std::to_string(header_len) + " runs past the end of the file (" +
                        std::to_string(size) + " bytes; truncated?)");
    if (header_len < 2 || bytes[8] != '{') throw DataError(name + ": the header is not a JSON object: not a geoenc model file");
    const std::uint64_t buffer_size = size - 8 - header_len;
    const char* buffer = bytes.data() + 8 + header_len;

    // Parse, refusing a tensor name that occurs twice (nlohmann would keep the last).
    std::string duplicate;
    json header;
    std::set<std::string> seen;
    try {
        header = json::parse(bytes.begin() + 8, bytes.begin() + 8 + std::ptrdiff_t(header_len),
                             [&](int depth, json::parse_event_t event, json& parsed) {
                                 if (event == json::parse_event_t::key && depth == 1 &&
                                     !seen.insert(parsed.get<std::string>()).second && duplicate.empty())
                                     duplicate = parsed.get<std::string>();
                                 return true;
                             });
    } catch (const json::exception& e) {
        throw DataError(name + ": the header is not valid JSON: " + json_message(e));
    }
    if (!header.is_object()) throw DataError(name + ": the header is not a JSON object");
    if (!duplicate.empty()) throw DataError(name + ": the header names '" + duplicate + "' twice");

    // __metadata__ first: a file that is not ours gets that message, not a tensor complaint.
    std::map<std::string, std::string> meta;
    auto m = header.find("__metadata__");
    if (m != header.end()) {
        if (!m->is_object()) throw DataError(name + ": __metadata__ is not a JSON object");
        for (auto it = m->begin(); it != m->end(); ++it) {
            if (!it->is_string()) throw DataError(name + ": __metadata__ value of \"" + it.key() + "\" is not a string");
            meta[it.key()] = it->get<std::string>();
        }
    }
    if (meta.count("format") == 0 || meta["format"] != "geoenc-model")
        throw DataError(name + ": a safetensors file, but not a geoenc model (no \"format\": \"geoenc-model\" in __metadata__)");
    if (meta.count("format_version") == 0) throw DataError(name + ": __metadata__ has no format_version");
    const std::string& version = meta["format_version"];
    if (version != "1" && version != std::to_string(kModelFormatVersion))
        throw DataError(name + ": format_version '" + version + "' is not supported (this geoenc " +
                        geoenc_version() + " reads versions 1 to " + std::to_string(kModelFormatVersion) + ")");
    if (meta.count("config") == 0) throw DataError(name + ": __metadata__ has no config");
    LoadedModel model;
    model.kind = "geoenc-model";
    model.format_version = std::stoi(version);
    model.config = parse_config(meta["config"], name);
    if (model.config.predictor && model.format_version < 2)
        throw DataError(name + ": a version 1 file cannot hold a trained model (\"predictor\" in its config)");

    std::vector<TensorEntry> entries;
    for (auto it = header.begin(); it != header.end(); ++it)
        if (it.key() != "__metadata__") entries.push_back(parse_entry(it.key(), it.value(), buffer_size, name));
    // The tensors tile the data exactly: no overlap, no hole, nothing after the last.
    std::vector<const TensorEntry*> order;
    for (const auto& e : entries) order.push_back(&e);
    std::sort(order.begin(), order.end(), [](const TensorEntry* a, const TensorEntry* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    std::uint64_t next = 0;
    for (const TensorEntry* e : order) {
        if (e->begin < next) throw DataError(name + ": tensor '" + e->name + "' overlaps another tensor's bytes");
        if (e->begin > next)
            throw DataError(name + ": data bytes " + std::to_string(next) + ".." + std::to_string(e->begin) +
                            " belong to no tensor");
        next = e->end;
    }
    if (next != buffer_size)
        throw DataError(name + ": " + std::to_string(buffer_size - next) + " data bytes after the last tensor belong to no tensor");

    TensorMap weights, head_weights;
    const std::string head_prefix = "head.";
    for (const auto& e : entries) {
        at::Tensor t = at::empty(e.shape, at::TensorOptions().dtype(e.dtype->type));
        if (e.end > e.begin) std::memcpy(t.data_ptr(), buffer + e.begin, std::size_t(e.end - e.begin));
        if (e.name.rfind(head_prefix, 0) == 0) head_weights.emplace(e.name.substr(head_prefix.size()), std::move(t));
        else weights.emplace(e.name, std::move(t));
    }

    const ModelFileConfig& c = model.config;
    read_head(model, head_weights, name);
    auto pe = positional_encoding_of(c.positional_encoding, name + ": config");
    if (c.network == "none") {
        if (!weights.empty()) throw DataError(name + ": network is none but the file holds " + std::to_string(weights.size()) + " tensor(s)");
        if (!c.widths.empty()) throw DataError(name + ": network is none but widths is " + widths_text(c.widths));
        if (c.dim != pe->dim())
            throw DataError(name + ": dim is " + std::to_string(c.dim) + " but " + pe->name() + " gives " + std::to_string(pe->dim()));
        model.sha256 = checkpoint::sha256_hex(bytes);
        check_prediction_head(model, name);
        return model;
    }
    try {
        model.network = Network::from_weights(parse_net_kind(c.network), weights, c.w0_initial, c.w0);
    } catch (const std::exception& e) {
        throw DataError(name + ": " + e.what());
    }
    for (int64_t w : model.network->widths())
        if (w == 0) throw DataError(name + ": a layer of the network has width 0");
    const TensorMap canonical = model.network->weights();
    for (const auto& [key, t] : weights)
        if (canonical.count(key) == 0) throw DataError(name + ": tensor '" + key + "' is not part of a " + c.network + " network");
    if (model.network->widths() != c.widths)
        throw DataError(name + ": config widths " + widths_text(c.widths) + " but the weights chain " +
                        widths_text(model.network->widths()));
    if (c.dim != model.network->out_dim())
        throw DataError(name + ": config dim " + std::to_string(c.dim) + " but the network gives " +
                        std::to_string(model.network->out_dim()));
    if (model.network->in_dim() != pe->dim())
        throw DataError(name + ": the network takes " + std::to_string(model.network->in_dim()) + " inputs but " +
                        pe->name() + " gives " + std::to_string(pe->dim()));
    model.sha256 = checkpoint::sha256_hex(bytes);
    check_prediction_head(model, name);
    return model;
}

LoadedModel load_model_file(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw DataError(path + ": no such model file");
    if (fs::is_directory(path, ec)) throw DataError(path + ": is a directory, not a model file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path + ": cannot open: " + std::strerror(errno));
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw DataError(path + ": read failed");
    return parse_model_file(bytes, path);
}

std::string model_file_bytes(ModelFileConfig config, const Network* net, const Network* head) {
    if (!little_endian_host()) throw DataError(".geoenc files are written on little-endian hosts only");
    const auto pe = positional_encoding_of(config.positional_encoding, "model");
    config.positional_encoding = pe->name();
    TensorMap weights;
    if (net) {
        if (net->in_dim() != pe->dim())
            throw DataError("model: the network takes " + std::to_string(net->in_dim()) + " inputs but " + pe->name() +
                            " gives " + std::to_string(pe->dim()));
        config.network = to_string(net->kind());
        config.widths = net->widths();
        config.dim = net->out_dim();
        weights = net->weights();
    } else {
        config.network = "none";
        config.widths.clear();
        config.dim = pe->dim();
    }
    if (config.predictor && (!std::isfinite(config.predictor->mean) || !std::isfinite(config.predictor->scale)))
        throw DataError("model: the predictor's mean and scale must be finite");
    if (head) {
        if (!config.predictor || config.predictor->head == "none") throw DataError("model: a head needs a predictor with a head kind");
        config.head_widths = head->widths();
        for (const auto& [key, t] : head->weights()) weights["head." + key] = t;
    } else {
        config.head_widths.clear();
    }
    json header = json::object();
    std::vector<at::Tensor> data;
    std::uint64_t offset = 0;
    for (const auto& [key, tensor] : weights) {  // std::map: sorted names, a deterministic file
        at::Tensor t = tensor.to(at::kCPU).contiguous();
        const Dtype* d = dtype_by_type(t.scalar_type());
        if (!d) throw DataError("model: weight '" + key + "' is " + std::string(c10::toString(t.scalar_type())) +
                                ", not float32, float64, float16 or bfloat16");
        const std::uint64_t n = std::uint64_t(t.numel()) * d->size;
        header[key] = {{"dtype", d->code}, {"shape", t.sizes().vec()}, {"data_offsets", {offset, offset + n}}};
        offset += n;
        data.push_back(std::move(t));
    }
    header["__metadata__"] = {{"format", "geoenc-model"},
                              {"format_version", config.predictor ? "2" : "1"},
                              {"config", dump(config_json(config))}};
    std::string text = dump(header);
    text.append((8 - text.size() % 8) % 8, ' ');  // the data starts 8-byte aligned
    std::string out;
    out.reserve(8 + text.size() + offset);
    for (int i = 0; i < 8; ++i) out.push_back(char((std::uint64_t(text.size()) >> (8 * i)) & 0xff));
    out += text;
    for (const auto& t : data) out.append(static_cast<const char*>(t.data_ptr()), std::size_t(t.nbytes()));
    return out;
}

void save_model_file(const std::string& path, const ModelFileConfig& config, const Network* net, bool overwrite,
                     const Network* head) {
    const std::string bytes = model_file_bytes(config, net, head);
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw DataError(path + ": output is a directory; name a file");
    if (!overwrite && fs::exists(path, ec)) throw DataError(path + ": output exists (use --overwrite to replace it)");
    const fs::path p(path);
    const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    if (!fs::is_directory(dir, ec)) throw DataError(path + ": folder " + dir.string() + " does not exist");
    std::string temp = (dir / ("." + p.filename().string() + ".geoenc-tmp-XXXXXX")).string();
    const int fd = mkstemp(temp.data());
    if (fd < 0) throw DataError(path + ": cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno));
    auto fail = [&](const std::string& what) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        throw DataError(path + ": " + what + ": " + reason);
    };
    // mkstemp makes the file 0600; give it the mode a plain create would.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(fd, 0666 & ~mask) != 0) {
        ::close(fd);
        fail("cannot set the file mode");
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            fail("write failed");
        }
        done += std::size_t(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        fail("write failed");
    }
    if (::close(fd) != 0) fail("write failed");
    if (overwrite) {
        if (::rename(temp.c_str(), path.c_str()) != 0) fail("cannot rename " + temp);
        return;
    }
    // No overwrite: link() refuses an existing name atomically, unlike rename().
    if (::link(temp.c_str(), path.c_str()) == 0) {
        ::unlink(temp.c_str());
        return;
    }
    if (errno == EEXIST) {
        ::unlink(temp.c_str());
        throw DataError(path + ": output exists (use --overwrite to replace it)");
    }
    // A file system without hard links: check, then rename.
    if (fs::exists(path, ec)) {
        ::unlink(temp.c_str());
        throw DataError(path + ": output exists (use --overwrite to replace it)");
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) fail("cannot rename " + temp);
}

// --- any model source ----------------------------------------------------------------

namespace {

bool is_checkpoint_file(const std::string& path) {
    const std::string ext = fs::path(path).extension().string();
    return ext == ".pt" || ext == ".pth" || ext == ".ckpt";
}

// A SatCLIP checkpoint as open_encoder reads it: sh:L + the network of its weights.
LoadedModel model_from_checkpoint(const std::string& path) {
    checkpoint::LoadedCheckpoint ck = checkpoint::load_checkpoint(path);
    LoadedModel m;
    m.kind = !ck.hyperparameters.empty() || fs::path(path).extension() == ".ckpt" ? "lightning-checkpoint"
                                                                                 : "pytorch-state-dict";
    const NetKind kind = Network::detect_kind(ck.weights);
    try {
        m.network = Network::from_weights(kind, ck.weights);
    } catch (const DataError& e) {
        throw DataError(path + ": " + e.what());
    }
    const int64_t in = m.network->in_dim();
    int64_t L = 0;
    auto hp = ck.hyperparameters.find("legendre_polys");
    if (hp != ck.hyperparameters.end() && std::holds_alternative<std::int64_t>(hp->second)) {
        L = std::get<std::int64_t>(hp->second);
        if (L < 1 || L > 100000 || L * L != in)
            throw DataError(path + ": legendre_polys=" + std::to_string(L) + " but the first layer takes " +
                            std::to_string(in) + " inputs");
    } else {
        L = std::llround(std::sqrt(double(in)));
        if (L * L != in)
            throw DataError(path + ": the first layer takes " + std::to_string(in) +
                            " inputs, not L*L spherical harmonics; cannot tell L");
    }
    m.config.positional_encoding = "sh:L=" + std::to_string(L) + ",convention=satclip";
    m.config.network = to_string(kind);
    m.config.widths = m.network->widths();
    m.config.dim = m.network->out_dim();
    m.config.source = base_name(path);
    m.config.source_sha256 = ck.sha256;
    m.config.created_by = created_by();
    m.sha256 = ck.sha256;
    return m;
}

}  // namespace

LoadedModel load_model(const std::string& model) {
    const ModelSpec spec = parse_model_spec(model);
    for (const auto& kind : positional_encoding_kinds()) {
        if (spec.kind != kind) continue;
        const auto pe = make_positional_encoding(spec);
        LoadedModel m;
        m.kind = "analytic";
        m.config.positional_encoding = pe->name();
        m.config.dim = pe->dim();
        m.config.source = model;
        m.config.created_by = created_by();
        return m;
    }
    std::error_code ec;
    const bool file = fs::is_regular_file(model, ec);
    if (is_model_file_path(model)) return load_model_file(model);
    if (file && is_checkpoint_file(model)) return model_from_checkpoint(model);
    if (file) throw UsageError(model + ": not a model file this build reads (.geoenc, .pt, .pth, .ckpt)");
    if (is_checkpoint_file(model)) throw DataError(model + ": no such model file");
    std::string kinds;
    for (const auto& k : positional_encoding_kinds()) kinds += (kinds.empty() ? "" : ", ") + k;
    throw UsageError(model + ": unknown model (a .geoenc/.pt/.ckpt file, or an analytic encoding: " + kinds + ")");
}

// --- model_info.h --------------------------------------------------------------------

ModelInfo inspect_model(const std::string& model) {
    const LoadedModel m = load_model(model);
    ModelInfo info;
    info.model = m.kind == "analytic" ? model : base_name(model);
    info.kind = m.kind;
    const ModelSpec pe_spec = parse_model_spec(m.config.positional_encoding);
    info.positional_encoding = m.config.positional_encoding;
    info.encoding = pe_spec.kind;
    if (pe_spec.kind == "sh") {
        info.L = pe_spec.get_int("L", 0);
        info.convention = pe_spec.get("convention", "satclip");
    }
    info.network = m.network ? to_string(m.network->kind()) : "none";
    if (m.network && m.network->kind() == NetKind::Siren) {
        info.has_w0 = true;
        info.w0_initial = m.config.w0_initial;
        info.w0 = m.config.w0;
    }
    info.output_dim = m.config.dim;
    info.input_dim = m.network ? m.network->in_dim() : m.config.dim;
    info.weights_dtype = "none";
    if (m.network) {
        info.widths = m.network->widths();
        info.output_dim = m.network->out_dim();
        std::set<std::string> labels;
        for (const auto& [key, t] : m.network->weights()) {
            info.parameters += t.numel();
            const Dtype* d = dtype_by_type(t.scalar_type());
            labels.insert(d ? d->label : c10::toString(t.scalar_type()));
        }
        info.weights_dtype = labels.size() == 1 ? *labels.begin() : "mixed";
    }
    if (m.head)  // a probe's head counts too
        for (const auto& [key, t] : m.head->weights()) info.parameters += t.numel();
    info.sha256 = m.sha256;
    info.format_version = m.format_version;
    if (m.kind == "geoenc-model") {
        info.source = m.config.source;
        info.source_sha256 = m.config.source_sha256;
        info.created_by = m.config.created_by;
    }
    if (const auto& p = m.config.predictor) {
        info.task = to_string(p->task);
        info.target = p->target;
        info.labels = p->labels;
        info.head = p->head;
        info.training = p->training;
        info.output_dim = int64_t(p->outputs());
    }
    return info;
}

namespace {

std::string number_text(double v) { return json(v).dump(); }

std::string widths_x(const std::vector<int64_t>& w) {
    std::string s;
    for (int64_t v : w) s += (s.empty() ? "" : "x") + std::to_string(v);
    return s;
}

}  // namespace

std::string model_info_text(const ModelInfo& i) {
    std::string out;
    auto line = [&](const char* key, const std::string& value) { out += std::string(key) + ": " + value + "\n"; };
    line("model", i.model);
    line("kind", i.kind);
    if (i.format_version) line("format_version", std::to_string(i.format_version));
    line("positional_encoding", i.positional_encoding);
    line("encoding", i.encoding);
    if (i.encoding == "sh") {
        line("L", std::to_string(i.L));
        line("convention", i.convention);
    }
    line("network", i.network);
    if (i.has_w0) {
        line("w0_initial", number_text(i.w0_initial));
        line("w0", number_text(i.w0));
    }
    if (!i.widths.empty()) line("widths", widths_x(i.widths));
    line("input_dim", std::to_string(i.input_dim));
    line("output_dim", std::to_string(i.output_dim));
    line("weights_dtype", i.weights_dtype);
    line("parameters", std::to_string(i.parameters));
    if (!i.sha256.empty()) line("sha256", i.sha256);
    if (i.kind == "geoenc-model") {
        line("source", i.source);
        if (!i.source_sha256.empty()) line("source_sha256", i.source_sha256);
        line("created_by", i.created_by);
    }
    if (!i.task.empty()) {
        line("task", i.task);
        line("target", i.target);
        std::string labels;
        for (const auto& l : i.labels) labels += (labels.empty() ? "" : ", ") + l;
        if (!i.labels.empty()) line("labels", labels);
        line("head", i.head);
        if (!i.training.empty()) line("training", i.training);
    }
    return out;
}

std::string model_info_json(const ModelInfo& i) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();  // keys in the order of the text output
    using V = nlohmann::ordered_json;
    auto opt = [](bool present, V v) { return present ? std::move(v) : V(nullptr); };
    j["model"] = i.model;
    j["kind"] = i.kind;
    j["format_version"] = opt(i.format_version != 0, i.format_version);
    j["positional_encoding"] = i.positional_encoding;
    j["encoding"] = i.encoding;
    j["L"] = opt(i.encoding == "sh", i.L);
    j["convention"] = opt(i.encoding == "sh", i.convention);
    j["network"] = i.network;
    j["w0_initial"] = opt(i.has_w0, i.w0_initial);
    j["w0"] = opt(i.has_w0, i.w0);
    j["widths"] = i.widths;
    j["input_dim"] = i.input_dim;
    j["output_dim"] = i.output_dim;
    j["weights_dtype"] = i.weights_dtype;
    j["parameters"] = i.parameters;
    j["sha256"] = opt(!i.sha256.empty(), i.sha256);
    const bool ours = i.kind == "geoenc-model";
    j["source"] = opt(ours, i.source);
    j["source_sha256"] = opt(ours && !i.source_sha256.empty(), i.source_sha256);
    j["created_by"] = opt(ours, i.created_by);
    const bool trained = !i.task.empty();
    j["task"] = opt(trained, i.task);
    j["target"] = opt(trained, i.target);
    j["labels"] = opt(trained && !i.labels.empty(), i.labels);
    j["head"] = opt(trained, i.head);
    j["training"] = trained && !i.training.empty() ? V::parse(i.training) : V(nullptr);
    return j.dump(2, ' ', false, V::error_handler_t::replace) + "\n";
}

ModelInfo convert_model(const std::string& in, const std::string& out, bool overwrite) {
    if (!is_model_file_path(out)) throw UsageError(out + ": the output must be a " + std::string(kModelFileExtension) + " file");
    LoadedModel m = load_model(in);
    // A re-saved .geoenc keeps the provenance of its weights; the writer is this geoenc.
    m.config.created_by = created_by();
    save_model_file(out, m.config, m.network ? &*m.network : nullptr, overwrite, m.head ? &*m.head : nullptr);
    return inspect_model(out);
}

}  // namespace geoenc
