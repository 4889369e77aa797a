// Full-size detection from the real key/shape manifests (no weights: TensorInfo entries only), and
// the networks built on torch::kMeta from the detected configs compared name-for-name and
// shape-for-shape with the manifests.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <map>

#include "models/loader.h"
#include "models/model_source.h"
#include "reference.h"
#include "strata/diffusion/model_config.h"

using namespace strata;
using namespace strata::diffusion;

namespace {

using Shapes = std::map<std::string, std::vector<std::int64_t>>;

Shapes manifest_shapes(const std::string& name) {
  const auto j = test::read_json(test::reference_dir() / "manifests" / (name + ".json"));
  Shapes out;
  for (const auto& [key, shape] : j["tensors"].items()) out[key] = shape.get<std::vector<std::int64_t>>();
  return out;
}

// A TensorIndex with the manifest's names and shapes and no file behind it: enough for detection
// and name/shape checks, which never read data.
TensorIndex index_from_manifest(const std::string& name) {
  TensorIndex index;
  std::uint64_t offset = 0;
  for (const auto& [key, shape] : manifest_shapes(name)) {
    TensorInfo info;
    info.name = key;
    info.file_key = key;
    info.dtype = key.find("position_ids") != std::string::npos ? DType::I64 : DType::F32;
    info.shape = shape;
    info.begin = offset;
    offset += static_cast<std::uint64_t>(info.numel()) * dtype_size(info.dtype);
    info.end = offset;
    index.add(std::move(info));
  }
  return index;
}

// name → shape of every parameter of the three networks, under the checkpoint prefixes.
Shapes meta_parameters(const ModelConfig& cfg) {
  const auto opts = torch::TensorOptions().device(torch::kMeta).dtype(torch::kFloat32);
  Shapes out;
  auto add = [&](const std::string& prefix, torch::nn::Module& m) {
    for (const auto& p : m.named_parameters(true)) out[prefix + p.key()] = p.value().sizes().vec();
  };
  CLIPTextModel text(cfg.text, opts);
  AutoencoderKL vae(cfg.vae, opts);
  UNetModel unet(cfg.unet, opts);
  add(cfg.text.prefix, *text);
  if (cfg.text2) {
    CLIPTextModel text2(*cfg.text2, opts);
    add(cfg.text2->prefix, *text2);
  }
  add(kVAEPrefix, *vae);
  add(kUNetPrefix, *unet);
  return out;
}

void compare_with_manifest(const std::string& name, const ModelConfig& cfg, std::size_t loaded_tensors = 1143 - 13) {
  Shapes expected;
  for (auto& [key, shape] : manifest_shapes(name)) {
    if (!is_ignored_key(key)) expected[key] = shape;
  }
  const Shapes built = meta_parameters(cfg);
  std::vector<std::string> missing, extra, wrong;
  for (const auto& [key, shape] : expected) {
    auto it = built.find(key);
    if (it == built.end()) missing.push_back(key);
    else if (it->second != shape) wrong.push_back(key);
  }
  for (const auto& [key, shape] : built) {
    if (!expected.count(key)) extra.push_back(key);
  }
  INFO(name << ": first missing " << (missing.empty() ? "-" : missing.front()) << ", first extra "
            << (extra.empty() ? "-" : extra.front()) << ", first wrong shape " << (wrong.empty() ? "-" : wrong.front()));
  CHECK(missing.empty());
  CHECK(extra.empty());
  CHECK(wrong.empty());
  CHECK(built.size() == expected.size());
  CHECK(expected.size() == loaded_tensors);  // SD 1.5: minus position_ids and the 12 DDPM buffers
}

void check_sd15_numbers(const ModelConfig& cfg) {
  const auto& u = cfg.unet;
  CHECK(u.out_channels == 4);
  CHECK(u.model_channels == 320);
  CHECK(u.channel_mult == std::vector<int>{1, 2, 4, 4});
  CHECK(u.num_res_blocks == 2);
  CHECK(u.attention_levels == std::vector<int>{0, 1, 2});
  CHECK(u.transformer_depth == 1);
  CHECK(u.context_dim == 768);
  CHECK(u.num_heads == 8);
  CHECK(u.head_dim == -1);
  CHECK_FALSE(u.linear_proj);
  CHECK(u.time_embed_dim() == 1280);
  const auto& t = cfg.text;
  CHECK(t.vocab_size == 49408);
  CHECK(t.max_positions == 77);
  CHECK(t.width == 768);
  CHECK(t.layers == 12);
  CHECK(t.heads == 12);
  CHECK(t.mlp_width == 3072);
  CHECK(t.quick_gelu);
  CHECK(t.pad_id == 49407);
  const auto& v = cfg.vae;
  CHECK(v.in_channels == 3);
  CHECK(v.base_channels == 128);
  CHECK(v.channel_mult == std::vector<int>{1, 2, 4, 4});
  CHECK(v.num_res_blocks == 2);
  CHECK(v.latent_channels == 4);
  CHECK(v.scale_factor == Approx(0.18215));
}

}  // namespace

TEST_CASE("manifests: SD 1.5 detected in full and built exactly", "[models][manifest]") {
  REQUIRE_REFERENCE();
  const auto cfg = ModelConfig::detect(index_from_manifest("sd15"));
  INFO(cfg.reason);
  CHECK(cfg.family == ModelFamily::SD1);
  CHECK(cfg.variant == "txt2img");
  CHECK(cfg.supported);
  CHECK(cfg.unet.in_channels == 4);
  check_sd15_numbers(cfg);
  compare_with_manifest("sd15", cfg);
}

TEST_CASE("manifests: SD 1.5 inpainting detected (9 input channels) and built exactly", "[models][manifest]") {
  REQUIRE_REFERENCE();
  const auto cfg = ModelConfig::detect(index_from_manifest("sd15-inpainting"));
  INFO(cfg.reason);
  CHECK(cfg.family == ModelFamily::SD1);
  CHECK(cfg.variant == "inpainting");
  CHECK(cfg.supported);
  CHECK(cfg.unet.in_channels == 9);
  check_sd15_numbers(cfg);
  compare_with_manifest("sd15-inpainting", cfg);
}

TEST_CASE("manifests: the loader's check finds nothing wrong with a real SD 1.5 key set", "[models][manifest]") {
  REQUIRE_REFERENCE();
  models::ModelSource source;
  source.path = "sd15.safetensors";
  source.index = index_from_manifest("sd15");
  const auto cfg = ModelConfig::detect(source.index);
  CHECK(check_tensors(source, cfg).empty());
  // …and finds the inpainting conv_in under the txt2img config.
  models::ModelSource inpaint;
  inpaint.path = "sd15-inpainting.safetensors";
  inpaint.index = index_from_manifest("sd15-inpainting");
  auto problems = check_tensors(inpaint, cfg);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].kind == doc::ErrorCode::ShapeMismatch);
  CHECK(problems[0].message ==
        "model.diffusion_model.input_blocks.0.0.weight: expected [320,4,3,3], found [320,9,3,3] in sd15-inpainting.safetensors");
}

TEST_CASE("manifests: SD 2.1 detected in full and built exactly", "[models][manifest]") {
  REQUIRE_REFERENCE();
  const auto cfg = ModelConfig::detect(index_from_manifest("sd21"));
  INFO(cfg.reason);
  CHECK(cfg.family == ModelFamily::SD2);
  CHECK(cfg.supported);
  CHECK(cfg.variant == "txt2img");
  CHECK(cfg.unet.linear_proj);
  CHECK(cfg.unet.context_dim == 1024);
  CHECK(cfg.unet.head_dim == 64);
  CHECK(cfg.unet.num_heads == -1);
  CHECK(cfg.unet.model_channels == 320);
  CHECK(cfg.unet.attention_levels == std::vector<int>{0, 1, 2});
  CHECK(cfg.text.layout == TextLayout::OpenCLIP);
  CHECK(cfg.text.prefix == "cond_stage_model.model.");
  CHECK(cfg.text.width == 1024);
  CHECK(cfg.text.layers == 24);
  CHECK(cfg.text.skip_layers == 1);  // SD 2.x runs 23 of the 24 stored blocks
  CHECK(cfg.text.heads == 16);
  CHECK(cfg.text.mlp_width == 4096);
  CHECK(cfg.text.projection_dim == 1024);
  CHECK_FALSE(cfg.text.quick_gelu);
  CHECK(cfg.text.pad_id == 0);
  bool v_note = false;
  for (const auto& n : cfg.notes) v_note = v_note || n.find("v-prediction") != std::string::npos;
  CHECK(v_note);
  std::size_t loaded = 0;
  for (const auto& [key, shape] : manifest_shapes("sd21")) loaded += !is_ignored_key(key);
  compare_with_manifest("sd21", cfg, loaded);
}

TEST_CASE("manifests: SDXL base detected in full and built exactly", "[models][manifest]") {
  REQUIRE_REFERENCE();
  const auto cfg = ModelConfig::detect(index_from_manifest("sdxl_base"));
  INFO(cfg.reason);
  CHECK(cfg.family == ModelFamily::SDXL);
  CHECK(cfg.supported);
  CHECK(cfg.variant == "base");
  CHECK(cfg.native_size == 1024);
  CHECK(cfg.unet.context_dim == 2048);
  CHECK(cfg.unet.channel_mult == std::vector<int>{1, 2, 4});
  CHECK(cfg.unet.attention_levels == std::vector<int>{1, 2});
  CHECK(cfg.unet.depth_per_level == std::vector<int>{0, 2, 10});
  CHECK(cfg.unet.middle_depth == 10);
  CHECK(cfg.unet.adm_in_channels == 2816);
  CHECK(cfg.unet.adm_time_dim == 256);
  CHECK(cfg.unet.adm_time_ids == 6);
  CHECK(cfg.unet.linear_proj);
  CHECK(cfg.text.width == 768);
  CHECK(cfg.text.skip_layers == 1);
  CHECK_FALSE(cfg.text.context_final_norm);
  REQUIRE(cfg.text2);
  CHECK(cfg.text2->width == 1280);
  CHECK(cfg.text2->layers == 32);
  CHECK(cfg.text2->heads == 20);
  CHECK(cfg.text2->projection_dim == 1280);
  CHECK(cfg.vae.scale_factor == Approx(0.13025));
  CHECK(cfg.leading_spacing);
  std::size_t loaded = 0;
  for (const auto& [key, shape] : manifest_shapes("sdxl_base")) loaded += !is_ignored_key(key);
  compare_with_manifest("sdxl_base", cfg, loaded);
}
