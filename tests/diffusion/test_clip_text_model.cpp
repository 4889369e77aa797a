// CLIP text encoder: parity with transformers' CLIPTextModel on the tiny SD1.5 model (last layer,
// penultimate with and without final LN, pooled), batch independence, bf16, and the full-size
// SD1.5 parameter names/shapes against the manifest.
#include <catch2/catch.hpp>

#include "network_test_support.h"
#include "networks/clip_text_model.h"

using namespace strata;
using diffusion::CLIPTextModel;
using diffusion::TextEncoderConfig;

namespace {

const std::string kPrefix = "cond_stage_model.transformer.text_model.";
const std::string kPositionIds = kPrefix + "embeddings.position_ids";

TextEncoderConfig tiny_config() {
  TextEncoderConfig c;  // vocab 49408, 77 positions, quick_gelu: SD1 defaults
  c.width = 32;
  c.layers = 2;
  c.heads = 4;
  c.mlp_width = 64;
  return c;
}

CLIPTextModel load_tiny(torch::ScalarType dtype = torch::kFloat32) {
  CLIPTextModel model(tiny_config(), torch::TensorOptions().dtype(dtype));
  auto index = diffusion::TensorIndex::open(test::reference_dir() / "tiny-sd15/model.safetensors");
  test::load_parameters(*model, index, kPrefix, {kPositionIds});
  return model;
}

std::map<std::string, torch::Tensor> cases() {
  return diffusion::load_all(test::reference_dir() / "tiny-sd15/cases/text_encoder.safetensors");
}

}  // namespace

TEST_CASE("clip: tiny SD1.5 text encoder matches transformers for every prompt", "[clip][parity]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto model = load_tiny();
  auto ref = cases();
  const auto& ids = ref.at("input_ids");
  REQUIRE(ids.sizes() == torch::IntArrayRef({4, 77}));

  auto last = model->forward(ids);
  test::check_close("last_hidden_state", last, ref.at("last_hidden_state"));
  test::check_close("penultimate_hidden_state", model->hidden_state(ids, -2), ref.at("penultimate_hidden_state"));
  test::check_close("penultimate_hidden_state_final_ln (clip skip 2)", model->forward(ids, 2),
                    ref.at("penultimate_hidden_state_final_ln"));
  test::check_close("pooled_output", diffusion::CLIPTextModelImpl::pooled(last, ids), ref.at("pooled_output"));

  SECTION("each prompt alone gives its row of the batch") {
    for (int64_t i = 0; i < ids.size(0); ++i) {
      auto row = ids.narrow(0, i, 1);
      test::check_close("prompt " + std::to_string(i) + " last", model->forward(row),
                        ref.at("last_hidden_state").narrow(0, i, 1));
      test::check_close("prompt " + std::to_string(i) + " clip skip 2", model->forward(row, 2),
                        ref.at("penultimate_hidden_state_final_ln").narrow(0, i, 1));
    }
  }
}

TEST_CASE("clip: hidden_state indexing follows transformers' hidden_states", "[clip]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto model = load_tiny();
  auto ids = cases().at("input_ids");
  // index 0 = embeddings (token + position), no layer run.
  auto emb = model->token_embedding->weight.index({ids}) + model->position_weight.unsqueeze(0);
  CHECK(torch::equal(model->hidden_state(ids, 0), emb));
  CHECK(torch::equal(model->hidden_state(ids, 2), model->hidden_state(ids, -1)));
  CHECK(torch::equal(model->hidden_state(ids, 1), model->hidden_state(ids, -2)));
  CHECK(torch::equal(model->hidden_state(ids, -3), emb));
  // The last layer's raw state differs from the final-LN output.
  CHECK_FALSE(torch::allclose(model->hidden_state(ids, -1), model->forward(ids)));
  CHECK_THROWS(model->hidden_state(ids, 3));
  CHECK_THROWS(model->hidden_state(ids, -4));
  CHECK_THROWS(model->forward(ids, 0));
  CHECK_THROWS(model->forward(ids, 3));
}

TEST_CASE("clip: bf16 weights run in bf16 and stay close to fp32", "[clip][bf16]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto model = load_tiny(torch::kBFloat16);
  auto ref = cases();
  auto out = model->forward(ref.at("input_ids"));
  CHECK(out.scalar_type() == torch::kBFloat16);
  // bf16 has 8 mantissa bits: |x| ≤ 4 gives steps of 1/64; allow a few of those.
  test::check_close("bf16 last_hidden_state", out, ref.at("last_hidden_state"), 3e-2 * test::max_abs(ref.at("last_hidden_state")));
}

TEST_CASE("clip: full-size SD1.5 text encoder has exactly the checkpoint's names and shapes", "[clip][manifest]") {
  REQUIRE_REFERENCE();
  auto manifest = test::read_json(test::reference_dir() / "manifests/sd15.json");
  CLIPTextModel model(TextEncoderConfig{}, torch::TensorOptions().device(torch::kMeta));
  CHECK(model->final_layer_norm->weight.device().is_meta());
  CHECK(model->named_buffers(true).is_empty());
  test::check_against_manifest(*model, manifest, kPrefix, {kPositionIds});
}
