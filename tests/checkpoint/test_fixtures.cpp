// The reference checkpoints load natively and reproduce SatCLIP's embeddings.
// LibTorch's glog defines CHECK (a failure aborts instead of being reported):
// include it first, then undo that, as tests/unit does.
#include <ATen/ATen.h>
#undef CHECK
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "../unit/fixtures.h"
#include "core/checkpoint/state_dict.h"
#include "core/checkpoint/torch_archive.h"
#include "core/errors.h"

namespace ck = geoenc::checkpoint;
using geoenc::test::data_path;
using geoenc::test::read_npy;

namespace {

at::Tensor npy_tensor(const std::string& name) {
    const auto a = read_npy(name);
    return at::tensor(at::ArrayRef<double>(a.values)).reshape({std::int64_t(a.rows()), std::int64_t(a.cols())});
}

// SatCLIP's SIREN: sin(30 (W0 x + b0)), sin(1 (W1 h + b1)), then a linear last layer.
at::Tensor siren(const ck::LoadedCheckpoint& c, const at::Tensor& pe) {
    const auto& w = c.weights;
    auto h = at::sin(30.0 * at::addmm(w.at("layers.0.bias"), pe, w.at("layers.0.weight").t()));
    h = at::sin(1.0 * at::addmm(w.at("layers.1.bias"), h, w.at("layers.1.weight").t()));
    return at::addmm(w.at("last_layer.bias"), h, w.at("last_layer.weight").t());
}

void check_shapes(const ck::LoadedCheckpoint& c, std::int64_t features) {
    REQUIRE(c.weights.size() == 6);
    CHECK(c.weights.at("layers.0.weight").sizes() == at::IntArrayRef({256, features}));
    CHECK(c.weights.at("layers.0.bias").sizes() == at::IntArrayRef({256}));
    CHECK(c.weights.at("layers.1.weight").sizes() == at::IntArrayRef({256, 256}));
    CHECK(c.weights.at("last_layer.weight").sizes() == at::IntArrayRef({256, 256}));
    CHECK(c.weights.at("last_layer.bias").sizes() == at::IntArrayRef({256}));
    for (const auto& [k, t] : c.weights) CHECK_MESSAGE((t.scalar_type() == at::kDouble), k);
}

std::string meta_sha256() {
    std::ifstream in(data_path("lightning_meta.json"));
    std::stringstream s;
    s << in.rdbuf();
    const std::string text = s.str();
    const auto key = text.find("\"sha256\"");
    const auto open = text.find('"', text.find(':', key) + 1);
    return text.substr(open + 1, text.find('"', open + 1) - open - 1);
}

}  // namespace

TEST_CASE("state dict .pt files load with the nnet. prefix stripped") {
    const auto l10 = ck::load_checkpoint(data_path("satclip_L10_cap256_seed0_state_dict.pt"));
    CHECK(l10.prefix == "nnet.");
    check_shapes(l10, 100);
    CHECK(l10.hyperparameters.empty());
    CHECK(l10.sha256.size() == 64);

    const auto l40 = ck::load_checkpoint(data_path("satclip_L40_cap256_seed0_state_dict.pt"));
    check_shapes(l40, 1600);
}

TEST_CASE("the L10 state dict reproduces the reference embeddings in float64") {
    const auto c = ck::load_checkpoint(data_path("satclip_L10_cap256_seed0_state_dict.pt"));
    const auto emb = siren(c, npy_tensor("pe_L10_satclip_exact_f64.npy"));
    const auto ref = npy_tensor("emb_L10_cap256_seed0_exact_f64.npy");
    REQUIRE(emb.sizes() == ref.sizes());
    CHECK((emb - ref).abs().max().item<double>() < 1e-9);
}

TEST_CASE("the Lightning checkpoint: location weights, hyperparameters, sha256, embeddings") {
    const std::string path = data_path("satclip_lightning_L10_cap256_seed1.ckpt");
    const auto c = ck::load_checkpoint(path);
    CHECK(c.prefix == "model.location.nnet.");
    check_shapes(c, 100);

    REQUIRE(c.hyperparameters.count("legendre_polys") == 1);
    CHECK(std::get<std::int64_t>(c.hyperparameters.at("legendre_polys")) == 10);
    CHECK(std::get<std::int64_t>(c.hyperparameters.at("capacity")) == 256);
    CHECK(std::get<std::int64_t>(c.hyperparameters.at("embed_dim")) == 256);
    CHECK(std::get<std::string>(c.hyperparameters.at("le_type")) == "sphericalharmonics");
    CHECK(std::get<bool>(c.hyperparameters.at("eval_downstream")) == true);
    CHECK(ck::to_string(c.hyperparameters.at("learning_rate")) == "0.0001");
    CHECK(ck::to_string(c.hyperparameters.at("max_radius")) == "0.01");
    CHECK(ck::to_string(ck::HyperValue(0.1)) == "0.1");
    CHECK(ck::to_string(ck::HyperValue(1.0 / 3)) == "0.3333333333333333");

    CHECK(c.sha256 == meta_sha256());

    const auto emb = siren(c, npy_tensor("pe_L10_satclip_exact_f64.npy"));
    CHECK((emb - npy_tensor("emb_lightning_L10_cap256_seed1.npy")).abs().max().item<double>() < 1e-9);

    // model.nnet.* is the same module as model.location.nnet.*: equal values, shared storage.
    const ck::Document doc = ck::read_torch_archive(path);
    const ck::Value* sd = ck::find_key(doc.root(), "state_dict");
    REQUIRE(sd != nullptr);
    CHECK(sd->entries.size() == 33);
    for (const auto& [k, t] : c.weights) {
        const ck::Value* main = ck::find_key(*sd, "model.location.nnet." + k);
        const ck::Value* alias = ck::find_key(*sd, "model.nnet." + k);
        REQUIRE((main && alias && main->kind == ck::Kind::Tensor && alias->kind == ck::Kind::Tensor));
        CHECK(at::equal(alias->tensor, t));
        CHECK(alias->tensor.data_ptr() == main->tensor.data_ptr());
    }
    // The rest of the file is there as inert data.
    const ck::Value* hp = ck::find_key(doc.root(), "hyper_parameters");
    REQUIRE(hp != nullptr);
    CHECK(hp->kind == ck::Kind::Object);
    CHECK(hp->text == "lightning_fabric.utilities.data.AttributeDict");
    CHECK(ck::find_key(doc.root(), "optimizer_states") != nullptr);
    const ck::Value* scale = ck::find_key(*sd, "model.logit_scale");
    REQUIRE(scale != nullptr);
    CHECK(scale->tensor.dim() == 0);
}

TEST_CASE("a missing file and a non-zip file are DataErrors naming the file") {
    CHECK_THROWS_WITH_AS(ck::load_checkpoint("/nonexistent/x.ckpt"), doctest::Contains("/nonexistent/x.ckpt"),
                         geoenc::DataError);
    CHECK_THROWS_WITH_AS(ck::load_checkpoint(data_path("lightning_meta.json")),
                         doctest::Contains("lightning_meta.json"), geoenc::DataError);
}
