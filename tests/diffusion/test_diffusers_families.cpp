// SD 2.x and SDXL from diffusers folders. Each tiny kit's single file is rewritten as the folder
// diffusers saves: UNet and VAE through the inverse name table, the OpenCLIP towers as transformers'
// CLIPTextModel (SD 2.x: cut to the blocks SD 2.x uses) or CLIPTextModelWithProjection (SDXL's
// text_encoder_2), as diffusers' convert_open_clip_checkpoint does, with the kits' configs. The
// folder must detect as the same architecture and generate the same image as the file.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "models/diffusers_names.h"
#include "models/loader.h"
#include "network_test_support.h"
#include "pipeline_test_support.h"
#include "reference.h"
#include "safetensors_writer.h"
#include "strata/diffusion/pipeline.h"
#include "strata/doc/error.h"
#include "torch_tensors.h"

using namespace strata;
using namespace strata::diffusion;
using models::DiffusersComponent;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using Tensors = std::map<std::string, torch::Tensor>;

fs::path kit(const std::string& name) { return test::reference_dir() / name; }

// OpenCLIP TextTransformer under `prefix` → HF names: the first `layers` blocks, in_proj split into
// q/k/v rows, ln_final → final_layer_norm; with `projection`, text_projection [C, P] → [P, C].
NamedTensors openclip_to_hf(const Tensors& file, const std::string& prefix, int layers, bool projection) {
  auto at = [&](const std::string& k) { return file.at(prefix + k); };
  const std::string tm = "text_model.";
  const auto positions = at("positional_embedding");
  NamedTensors out{{tm + "embeddings.token_embedding.weight", at("token_embedding.weight")},
                   {tm + "embeddings.position_embedding.weight", positions},
                   {tm + "embeddings.position_ids", torch::arange(positions.size(0), torch::kInt64).unsqueeze(0)},
                   {tm + "final_layer_norm.weight", at("ln_final.weight")},
                   {tm + "final_layer_norm.bias", at("ln_final.bias")}};
  const std::pair<const char*, const char*> renamed[] = {{"ln_1", "layer_norm1"},
                                                         {"ln_2", "layer_norm2"},
                                                         {"attn.out_proj", "self_attn.out_proj"},
                                                         {"mlp.c_fc", "mlp.fc1"},
                                                         {"mlp.c_proj", "mlp.fc2"}};
  for (int i = 0; i < layers; ++i) {
    const std::string from = "transformer.resblocks." + std::to_string(i) + ".";
    const std::string to = tm + "encoder.layers." + std::to_string(i) + ".";
    for (auto [a, b] : renamed) {
      for (const std::string wb : {".weight", ".bias"}) out.emplace_back(to + b + wb, at(from + a + wb));
    }
    const auto w = at(from + "attn.in_proj_weight").chunk(3, 0);
    const auto bias = at(from + "attn.in_proj_bias").chunk(3, 0);
    const char* qkv[] = {"q_proj", "k_proj", "v_proj"};
    for (int j = 0; j < 3; ++j) {
      out.emplace_back(to + "self_attn." + qkv[j] + ".weight", w[j].contiguous());
      out.emplace_back(to + "self_attn." + qkv[j] + ".bias", bias[j].contiguous());
    }
  }
  if (projection) out.emplace_back("text_projection.weight", at("text_projection").t().contiguous());
  return out;
}

struct OpenCLIPTower {
  std::string prefix;      // in the single file
  int layers = 0;          // blocks to keep
  DiffusersComponent goes_to = DiffusersComponent::TextEncoder;
};

// Writes `file` (detected as `cfg`) as a diffusers folder; `jsons`: relative path → content.
void write_folder(const fs::path& dir, const fs::path& file, const ModelConfig& cfg, const OpenCLIPTower& tower,
                  const std::map<std::string, json>& jsons) {
  const auto tensors = load_all(file);
  const auto layout = models::layout_from_config(cfg);
  std::map<DiffusersComponent, NamedTensors> parts;
  for (const auto& [key, t] : tensors) {
    auto d = models::to_diffusers(key, layout);
    if (!d) continue;  // the OpenCLIP tower, DDPM buffers
    parts[d->first].emplace_back(d->second.name, d->second.conv1x1 ? t.reshape({t.size(0), t.size(1)}) : t);
  }
  const bool pooled = tower.goes_to == DiffusersComponent::TextEncoder2;
  REQUIRE(parts[tower.goes_to].empty());
  parts[tower.goes_to] = openclip_to_hf(tensors, tower.prefix, tower.layers, pooled);
  for (auto& [component, named] : parts) {
    const auto sub = dir / models::folder_name(component);
    fs::create_directories(sub);
    const bool unet_or_vae = component == DiffusersComponent::UNet || component == DiffusersComponent::VAE;
    save_safetensors(sub / (unet_or_vae ? "diffusion_pytorch_model.safetensors" : "model.safetensors"), named);
  }
  for (const auto& [path, j] : jsons) {
    fs::create_directories((dir / path).parent_path());
    std::ofstream(dir / path) << j.dump(2);
  }
}

// The configs of a kit's config.json "diffusers" section, where diffusers puts them.
std::map<std::string, json> kit_jsons(const std::string& name, json model_index) {
  const auto d = test::read_json(kit(name) / "config.json").at("diffusers");
  std::map<std::string, json> out{{"model_index.json", std::move(model_index)},
                                  {"unet/config.json", d.at("unet")},
                                  {"vae/config.json", d.at("vae")},
                                  {"scheduler/scheduler_config.json", d.at("scheduler_config_json")}};
  out["unet/config.json"]["_class_name"] = "UNet2DConditionModel";
  out["vae/config.json"]["_class_name"] = "AutoencoderKL";
  for (const char* te : {"text_encoder", "text_encoder_2"}) {
    if (d.contains(te)) out[std::string(te) + "/config.json"] = d.at(te);
  }
  return out;
}

void check_same_text(const TextEncoderConfig& file, const TextEncoderConfig& folder, bool pooled) {
  CHECK(folder.layout == TextLayout::HuggingFace);
  CHECK(folder.width == file.width);
  CHECK(folder.heads == file.heads);
  CHECK(folder.mlp_width == file.mlp_width);
  CHECK(folder.quick_gelu == file.quick_gelu);
  CHECK(folder.pad_id == file.pad_id);
  CHECK(folder.context_final_norm == file.context_final_norm);
  CHECK(folder.layers - folder.skip_layers == file.layers - file.skip_layers);  // blocks the context runs through
  if (pooled) CHECK(folder.projection_dim == file.projection_dim);
}

void check_same_architecture(const ModelConfig& file, const ModelConfig& folder) {
  INFO(folder.reason);
  REQUIRE(folder.supported);
  CHECK(folder.family == file.family);
  CHECK(folder.variant == file.variant);
  CHECK(folder.prediction == file.prediction);
  CHECK(folder.leading_spacing == file.leading_spacing);
  CHECK(folder.native_size == file.native_size);
  const auto &a = file.unet, &b = folder.unet;
  CHECK(b.channel_mult == a.channel_mult);
  CHECK(b.attention_levels == a.attention_levels);
  CHECK(b.depth_per_level == a.depth_per_level);
  CHECK(b.middle_depth == a.middle_depth);
  CHECK(b.context_dim == a.context_dim);
  CHECK(b.head_dim == a.head_dim);
  CHECK(b.num_heads == a.num_heads);
  CHECK(b.linear_proj == a.linear_proj);
  CHECK(b.adm_in_channels == a.adm_in_channels);
  CHECK(b.adm_time_ids == a.adm_time_ids);
  CHECK(folder.vae.channel_mult == file.vae.channel_mult);
  CHECK(folder.vae.scale_factor == file.vae.scale_factor);
  const bool two = file.text2.has_value();
  check_same_text(file.text, folder.text, !two && file.family == ModelFamily::SDXL);
  REQUIRE(folder.text2.has_value() == two);
  if (two) check_same_text(*file.text2, *folder.text2, true);
}

doc::Image8 generate(const fs::path& model, const GenerationRequest& request) {
  PipelineOptions o;
  o.model = model;
  o.tokenizer = test::reference_dir() / "clip";
  return Pipeline::load(o)->generate(request).front().image;
}

int max_level_difference(const doc::Image8& a, const doc::Image8& b) {
  REQUIRE(a.pixels.size() == b.pixels.size());
  int worst = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) worst = std::max(worst, std::abs(int(a.pixels[i]) - int(b.pixels[i])));
  return worst;
}

GenerationRequest small_request(SamplerKind sampler) {
  auto r = test::base_request();
  r.steps = 4;
  r.seed = 42;
  r.sampler = sampler;
  return r;
}

void check_component(const std::string& what, const torch::Tensor& actual, const torch::Tensor& ref) {
  test::check_close(what, actual.to(torch::kFloat32), ref, test::component_tolerance(ref));
}

}  // namespace

TEST_CASE("diffusers folders: SDXL base (text_encoder_2 with projection) loads and generates like the file",
          "[families][diffusers][slow]") {
  REQUIRE_REFERENCE();
  const auto file = kit("tiny-sdxl") / "model.safetensors";
  const auto file_cfg = load_model(file).config;
  const auto dir = test::temp_dir("diffusers_sdxl") / "tiny-sdxl-diffusers";
  write_folder(dir, file, file_cfg, {"conditioner.embedders.1.model.", 4, DiffusersComponent::TextEncoder2},
               kit_jsons("tiny-sdxl", {{"_class_name", "StableDiffusionXLPipeline"},
                                       {"force_zeros_for_empty_prompt", true},
                                       {"text_encoder", {"transformers", "CLIPTextModel"}},
                                       {"text_encoder_2", {"transformers", "CLIPTextModelWithProjection"}},
                                       {"unet", {"diffusers", "UNet2DConditionModel"}},
                                       {"vae", {"diffusers", "AutoencoderKL"}}}));

  auto m = load_model(dir);
  check_same_architecture(file_cfg, m.config);
  {
    // The projection is square here (as in SDXL): only numbers show a transposition.
    c10::InferenceMode guard;
    auto ref = load_all(kit("tiny-sdxl") / "cases/text_encoders.safetensors");
    auto [context, pooled] = m.text_encoder_2->context_and_pooled(ref.at("input_ids_2"));
    check_component("te2 hidden_states[-2]", context, ref.at("te2_penultimate_hidden_state"));
    check_component("te2 text_embeds", pooled, ref.at("te2_text_embeds"));
  }
  for (const bool empty_negative : {false, true}) {
    INFO("empty negative prompt: " << empty_negative);
    auto req = small_request(SamplerKind::EulerAncestral);
    if (empty_negative) req.negative_prompt.clear();  // force_zeros_for_empty_prompt: zero uncond
    CHECK(max_level_difference(generate(dir, req), generate(file, req)) <= 1);
  }

  // Without its text_encoder_2/ the folder is incomplete, and the error says which part is missing.
  fs::remove_all(dir / "text_encoder_2");
  try {
    (void)load_model(dir);
    FAIL("an SDXL folder without text_encoder_2/ loaded");
  } catch (const doc::Error& e) {
    CHECK(e.code() == doc::ErrorCode::NotFound);
    CHECK_THAT(e.what(), Catch::Contains("tiny-sdxl-diffusers/text_encoder_2/model.safetensors: not found"));
  }
}

TEST_CASE("diffusers folders: SD 2.1-v (the tower cut to the blocks it uses) loads and generates like the file",
          "[families][diffusers][slow]") {
  REQUIRE_REFERENCE();
  const auto file = kit("tiny-sd21v") / "model.safetensors";
  const auto file_cfg = load_model(file).config;
  const auto dir = test::temp_dir("diffusers_sd21v") / "tiny-sd21v-diffusers";
  write_folder(dir, file, file_cfg, {"cond_stage_model.model.", 3, DiffusersComponent::TextEncoder},
               kit_jsons("tiny-sd21v", {{"_class_name", "StableDiffusionPipeline"},
                                        {"text_encoder", {"transformers", "CLIPTextModel"}},
                                        {"unet", {"diffusers", "UNet2DConditionModel"}},
                                        {"vae", {"diffusers", "AutoencoderKL"}}}));

  auto m = load_model(dir);
  check_same_architecture(file_cfg, m.config);
  CHECK(m.config.family == ModelFamily::SD2);
  CHECK(m.config.prediction_from_hint);  // scheduler/scheduler_config.json: v_prediction
  CHECK(m.config.text.layers == 3);
  CHECK(m.config.text.skip_layers == 0);
  {
    c10::InferenceMode guard;
    auto ref = load_all(kit("tiny-sd21v") / "cases/text_encoder.safetensors");
    check_component("SD2 context", m.text_encoder->forward(ref.at("input_ids")), ref.at("last_hidden_state"));
  }
  for (const auto sampler : {SamplerKind::DDIM, SamplerKind::Euler}) {
    CHECK(max_level_difference(generate(dir, small_request(sampler)), generate(file, small_request(sampler))) <= 1);
  }
}

TEST_CASE("diffusers folders: an SDXL refiner (text_encoder_2 only) loads and refines like the file",
          "[families][diffusers][slow]") {
  REQUIRE_REFERENCE();
  // Refiner-shaped, random weights: tiny-sdxl's bigG as the only encoder (single file: OpenCLIP
  // under embedders.0), a UNet with 5 added ids, tiny-sdxl's VAE.
  c10::InferenceMode guard;
  const auto base = load_model(kit("tiny-sdxl") / "model.safetensors").config;
  TextEncoderConfig big_g = *base.text2;
  big_g.prefix = "conditioner.embedders.0.model.";
  UNetConfig unet_cfg = base.unet;
  unet_cfg.context_dim = big_g.width;
  unet_cfg.adm_in_channels = big_g.projection_dim + 5 * unet_cfg.adm_time_dim;
  torch::manual_seed(11);
  NamedTensors tensors;
  auto add = [&](const std::string& prefix, torch::nn::Module& m) {
    for (auto& p : m.named_parameters(true)) tensors.emplace_back(prefix + p.key(), torch::randn(p.value().sizes()) * 0.05);
  };
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
  CLIPTextModel text(big_g, opts);
  UNetModel unet(unet_cfg, opts);
  add(big_g.prefix, *text);
  add(kUNetPrefix, *unet);
  for (auto& [k, v] : load_all(kit("tiny-sdxl") / "model.safetensors")) {
    if (k.rfind(kVAEPrefix, 0) == 0) tensors.emplace_back(k, v);
  }
  const auto root = test::temp_dir("diffusers_refiner");
  const auto file = root / "refiner.safetensors";
  save_safetensors(file, tensors,
                   {{"strata.text_encoder.heads", "3"}, {"strata.unet.head_dim", "16"}, {"strata.native_size", "64"}});
  const auto file_cfg = load_model(file).config;
  REQUIRE(file_cfg.variant == "refiner");

  auto jsons = kit_jsons("tiny-sdxl", {{"_class_name", "StableDiffusionXLImg2ImgPipeline"},
                                       {"requires_aesthetics_score", true},
                                       {"force_zeros_for_empty_prompt", false},
                                       {"text_encoder", {nullptr, nullptr}},
                                       {"tokenizer", {nullptr, nullptr}},
                                       {"text_encoder_2", {"transformers", "CLIPTextModelWithProjection"}},
                                       {"unet", {"diffusers", "UNet2DConditionModel"}},
                                       {"vae", {"diffusers", "AutoencoderKL"}}});
  jsons.erase("text_encoder/config.json");
  jsons["unet/config.json"]["cross_attention_dim"] = unet_cfg.context_dim;
  jsons["unet/config.json"]["projection_class_embeddings_input_dim"] = unet_cfg.adm_in_channels;
  const auto dir = root / "refiner-diffusers";
  write_folder(dir, file, file_cfg, {big_g.prefix, big_g.layers, DiffusersComponent::TextEncoder2}, jsons);
  REQUIRE_FALSE(fs::exists(dir / "text_encoder"));

  const auto m = load_model(dir);
  check_same_architecture(file_cfg, m.config);
  CHECK(m.config.unet.adm_time_ids == 5);
  CHECK(m.config.text.prefix == "conditioner.embedders.1.transformer.text_model.");

  auto req = small_request(SamplerKind::Euler);
  req.steps = 10;
  req.strength = 0.3;
  auto init = load_all(kit("tiny-sdxl") / "pipelines" / "img2img_euler_a_s0.6.safetensors").at("init_image");
  req.init_image = test::image_from_unit_tensor((init + 1.0) / 2.0);
  req.aesthetic_score = 2.0;
  CHECK(max_level_difference(generate(dir, req), generate(file, req)) <= 1);
}
