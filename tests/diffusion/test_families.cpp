// SD 2.x (768-v) and SDXL: detection, text encoders, UNet and end-to-end parity with diffusers on
// the tiny reference kits (reference/tiny-sd21v, reference/tiny-sdxl; README sections of both).
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <memory>

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
using strata::test::fraction_within_one;
using strata::test::sampler_of;
using strata::test::image_from_unit_tensor;

namespace {

std::filesystem::path kit(const std::string& name) { return test::reference_dir() / name; }

LoadedModel& loaded(const std::string& name) {
  static std::map<std::string, LoadedModel> models;
  auto it = models.find(name);
  if (it == models.end()) it = models.emplace(name, load_model(kit(name) / "model.safetensors")).first;
  return it->second;
}

Pipeline& pipeline(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Pipeline>> pipelines;
  auto& p = pipelines[name];
  if (!p) {
    PipelineOptions o;
    o.model = kit(name) / "model.safetensors";
    o.tokenizer = test::reference_dir() / "clip";
    p = Pipeline::load(o);
  }
  return *p;
}

// Relative tolerance of the kits' README: 1e-5 × max|ref|, at least 1e-4 absolute for components.
void check_component(const std::string& what, const torch::Tensor& actual, const torch::Tensor& ref) {
  test::check_close(what, actual.to(torch::kFloat32), ref, test::component_tolerance(ref));
}


}  // namespace

TEST_CASE("families: the tiny kits are detected with every number from names and shapes", "[families]") {
  REQUIRE_REFERENCE();
  const auto& xl = loaded("tiny-sdxl").config;
  CHECK(xl.family == ModelFamily::SDXL);
  CHECK(xl.variant == "base");
  CHECK(xl.supported);
  CHECK(xl.unet.depth_per_level == std::vector<int>{0, 1, 2});
  CHECK(xl.unet.middle_depth == 2);
  CHECK(xl.unet.adm_in_channels == 144);
  CHECK(xl.unet.adm_time_dim == 16);
  CHECK(xl.unet.adm_time_ids == 6);
  CHECK(xl.text.layout == TextLayout::HuggingFace);
  CHECK(xl.text.heads == 4);
  REQUIRE(xl.text2);
  CHECK(xl.text2->layout == TextLayout::OpenCLIP);
  CHECK(xl.text2->heads == 3);
  CHECK(xl.text2->projection_dim == 48);
  CHECK(xl.vae.scale_factor == Approx(0.13025f));
  CHECK(xl.leading_spacing);
  CHECK(xl.prediction == Prediction::Epsilon);

  const auto& v2 = loaded("tiny-sd21v").config;
  CHECK(v2.family == ModelFamily::SD2);
  CHECK(v2.variant == "txt2img");
  CHECK(v2.supported);
  CHECK(v2.prediction == Prediction::VPrediction);  // from the config.json beside the file
  CHECK(v2.text.layout == TextLayout::OpenCLIP);
  CHECK(v2.text.layers == 4);
  CHECK(v2.text.skip_layers == 1);
  CHECK(v2.text.pad_id == 0);
  CHECK(v2.unet.linear_proj);
  CHECK(v2.unet.head_dim == 16);
  CHECK_FALSE(v2.text2);
  CHECK_FALSE(v2.leading_spacing);
}

TEST_CASE("families: SDXL text encoders match transformers / open_clip", "[families][parity]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto& m = loaded("tiny-sdxl");
  auto ref = load_all(kit("tiny-sdxl") / "cases/text_encoders.safetensors");
  auto te1 = m.text_encoder->forward(ref.at("input_ids"));
  check_component("te1 hidden_states[-2]", te1, ref.at("te1_penultimate_hidden_state"));
  auto [te2, pooled] = m.text_encoder_2->context_and_pooled(ref.at("input_ids_2"));
  check_component("te2 hidden_states[-2]", te2, ref.at("te2_penultimate_hidden_state"));
  check_component("te2 text_embeds", pooled, ref.at("te2_text_embeds"));
  check_component("prompt_embeds", torch::cat({te1, te2}, -1), ref.at("prompt_embeds"));
}

TEST_CASE("families: SD 2.x OpenCLIP context is the penultimate block through ln_final", "[families][parity]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto& m = loaded("tiny-sd21v");
  auto ref = load_all(kit("tiny-sd21v") / "cases/text_encoder.safetensors");
  check_component("SD2 context", m.text_encoder->forward(ref.at("input_ids")), ref.at("last_hidden_state"));
  // Running every stored block is what SD 2.x must not do.
  CHECK_FALSE(torch::allclose(m.text_encoder->forward(ref.at("input_ids")),
                              ref.at("all_blocks_last_hidden_state_UNUSED"), 1e-3, 1e-3));
}

TEST_CASE("families: SDXL UNet with added conditioning matches diffusers", "[families][parity]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto& m = loaded("tiny-sdxl");
  auto ref = load_all(kit("tiny-sdxl") / "cases/unet.safetensors");
  for (int i = 0; i < 4; ++i) {
    const std::string c = "case" + std::to_string(i) + "_";
    INFO(c);
    auto y = m.unet->added_conditioning(ref.at(c + "text_embeds"), ref.at(c + "time_ids"));
    check_component(c + "y", y, ref.at(c + "add_embedding_input"));
    auto eps = m.unet->forward(ref.at(c + "sample"), ref.at(c + "timestep"), ref.at(c + "encoder_hidden_states"), y);
    check_component(c + "eps", eps, ref.at(c + "eps"));
  }
}

TEST_CASE("families: SD 2.1-v UNet matches diffusers", "[families][parity]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto& m = loaded("tiny-sd21v");
  auto ref = load_all(kit("tiny-sd21v") / "cases/unet.safetensors");
  for (int i = 0; i < 5; ++i) {
    const std::string c = "case" + std::to_string(i) + "_";
    INFO(c);
    auto v = m.unet->forward(ref.at(c + "sample"), ref.at(c + "timestep"), ref.at(c + "context"));
    check_component(c + "v", v, ref.at(c + "v"));
  }
}

TEST_CASE("families: diffusers end-to-end cases of both kits reproduce", "[families][pipeline][slow]") {
  REQUIRE_REFERENCE();
  for (const std::string name : {"tiny-sdxl", "tiny-sd21v"}) {
    auto index = test::read_json(kit(name) / "pipelines" / "index.json");
    int n = 0;
    for (auto& [case_name, c] : index["cases"].items()) {
      INFO(name << " case " << case_name);
      auto t = load_all(kit(name) / "pipelines" / (case_name + ".safetensors"));
      GenerationRequest req;
      req.prompt = index["prompt"].get<std::string>();
      const auto& neg = c.contains("negative_prompt") ? c["negative_prompt"] : index["negative_prompt"];
      req.negative_prompt = neg.is_string() ? neg.get<std::string>() : "";
      req.width = c["width"].get<int>();
      req.height = c["height"].get<int>();
      req.seed = c["seed"].get<std::int64_t>();
      req.steps = c["steps"].get<int>();
      req.cfg_scale = c["guidance_scale"].get<float>();
      req.sampler = sampler_of(c["scheduler"].get<std::string>());
      if (c["scheduler"] == "DPM++ 2M Karras") req.schedule = ScheduleKind::Karras;
      if (c["kind"] == "img2img") {
        req.init_image = image_from_unit_tensor((t.at("init_image") + 1.0) / 2.0);
        // The kits name the strength in the case name ("img2img_euler_s0.6") rather than a member.
        req.strength = c.contains("strength") && c["strength"].is_number()
                           ? c["strength"].get<double>()
                           : std::stod(case_name.substr(case_name.rfind("_s") + 2));
      }
      auto images = pipeline(name).generate(req);
      REQUIRE(images.size() == 1);
      CHECK(fraction_within_one(images[0].image, image_from_unit_tensor(t.at("image"))) >= 0.999);
      CHECK(images[0].steps_run == static_cast<int>(c["timesteps_run"].size()));
      CHECK(images[0].start_timestep == static_cast<int>(std::lround(c["timesteps_run"][0].get<double>())));
      ++n;
    }
    CHECK(n == 5);
  }
}

namespace {

GenerationRequest family_img2img(const std::string& name, double strength) {
  GenerationRequest r;
  r.prompt = "a photo of a cat sitting on a windowsill, highly detailed";
  r.negative_prompt = "blurry, low quality";
  r.width = r.height = 64;
  r.steps = 10;
  r.cfg_scale = 5.0f;
  r.seed = 7;
  auto t = load_all(kit(name) / "pipelines" / "img2img_euler_a_s0.6.safetensors");
  r.init_image = image_from_unit_tensor((t.at("init_image") + 1.0) / 2.0);
  r.strength = strength;
  return r;
}

// Copies a kit's model without the tensors `drop` matches (and any config beside it).
std::filesystem::path model_without(const std::string& name, const std::function<bool(const std::string&)>& drop,
                                    const std::string& out_name) {
  const auto dir = std::filesystem::temp_directory_path() / "strata_families";
  std::filesystem::create_directories(dir);
  const auto out = dir / out_name;
  auto tensors = load_all(kit(name) / "model.safetensors");
  NamedTensors keep;
  for (auto& [k, v] : tensors) {
    if (!drop(k)) keep.emplace_back(k, v);
  }
  save_safetensors(out, keep);
  std::filesystem::copy_file(kit(name) / "config.json", dir / "config.json",
                             std::filesystem::copy_options::overwrite_existing);
  return out;
}

}  // namespace

TEST_CASE("families: a uniform strength map is img2img and S = 0 pixels stay exact", "[families][strength][slow]") {
  REQUIRE_REFERENCE();
  for (const std::string name : {"tiny-sdxl", "tiny-sd21v"}) {
    INFO(name);
    auto a = pipeline(name).generate(family_img2img(name, 0.6)).front();
    auto mapped = family_img2img(name, 0.6);
    mapped.strength_map = doc::ImageF(64, 64, 1, 0.6f);
    auto b = pipeline(name).generate(mapped).front();
    CHECK(a.image.pixels == b.image.pixels);
    CHECK(a.steps_run == b.steps_run);

    auto masked = family_img2img(name, 1.0);
    masked.mask_blur = 0;
    masked.strength_map = doc::ImageF(64, 64, 1, 0.0f);
    for (int y = 0; y < 64; ++y) {
      for (int x = 32; x < 64; ++x) masked.strength_map->at(x, y) = 1.0f;  // repaint the right half
    }
    auto out = pipeline(name).generate(masked).front();
    bool left_exact = true, right_changed = false;
    for (int y = 0; y < 64; ++y) {
      for (int x = 0; x < 64; ++x) {
        for (int c = 0; c < 3; ++c) {
          const bool same = out.image.at(x, y, c) == masked.init_image->at(x, y, c);
          if (x < 32) left_exact = left_exact && same;
          else right_changed = right_changed || !same;
        }
      }
    }
    CHECK(left_exact);
    CHECK(right_changed);
  }
}

TEST_CASE("families: prediction override is obeyed, with a warning where the model states its own", "[families]") {
  REQUIRE_REFERENCE();
  PipelineOptions o;
  o.model = kit("tiny-sd21v") / "model.safetensors";
  o.tokenizer = test::reference_dir() / "clip";
  o.prediction = Prediction::Epsilon;
  auto p = Pipeline::load(o);
  CHECK(p->summary().config.prediction == Prediction::Epsilon);
  CHECK(p->summary().config.prediction_from_user);
  bool warned = false;
  for (const auto& n : p->summary().config.notes) warned = warned || n.find("warning: prediction type epsilon") == 0;
  CHECK(warned);
  auto req = family_img2img("tiny-sd21v", 0.6);
  auto eps_image = p->generate(req).front();
  auto v_image = pipeline("tiny-sd21v").generate(req).front();
  CHECK(eps_image.image.pixels != v_image.image.pixels);
}

TEST_CASE("families: incomplete SD 2.x / SDXL files are refused, naming what is missing", "[families][bad-input]") {
  REQUIRE_REFERENCE();
  // SDXL without its bigG encoder: detection says which encoder is missing, and from which file.
  auto no_big_g = model_without(
      "tiny-sdxl", [](const std::string& k) { return k.rfind("conditioner.embedders.1.", 0) == 0; }, "xl_one_te.safetensors");
  try {
    load_model(no_big_g);
    FAIL("loaded an SDXL file without its second text encoder");
  } catch (const doc::Error& e) {
    CHECK(e.code() == doc::ErrorCode::UnsupportedModel);
    CHECK_THAT(e.what(), Catch::Contains("conditioner.embedders.1.model.") && Catch::Contains("xl_one_te.safetensors"));
  }
  // SD 2.x with a text encoder block cut short: the loader names the missing tensor.
  auto cut = model_without(
      "tiny-sd21v", [](const std::string& k) { return k.find("resblocks.3.mlp.c_proj") != std::string::npos; },
      "sd2_cut.safetensors");
  try {
    load_model(cut);
    FAIL("loaded an SD 2.x file with a truncated text encoder");
  } catch (const doc::Error& e) {
    CHECK(e.code() == doc::ErrorCode::MissingTensor);
    CHECK_THAT(e.what(), Catch::Contains("cond_stage_model.model.transformer.resblocks.3.mlp.c_proj.weight"));
  }
}

TEST_CASE("families: an SDXL refiner needs an init image and takes aesthetic scores", "[families][bad-input]") {
  REQUIRE_REFERENCE();
  // A refiner-shaped model (one bigG encoder under embedders.0, 5 added ids) from tiny-sdxl's parts
  // with random weights: what matters is the structure, detection and the request rules.
  c10::InferenceMode guard;
  ModelConfig cfg = loaded("tiny-sdxl").config;
  TextEncoderConfig big_g = *cfg.text2;
  big_g.prefix = "conditioner.embedders.0.model.";
  cfg.unet.context_dim = big_g.width;
  cfg.unet.adm_in_channels = big_g.projection_dim + 5 * cfg.unet.adm_time_dim;
  torch::manual_seed(3);
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
  NamedTensors tensors;
  auto add = [&](const std::string& prefix, torch::nn::Module& m) {
    for (auto& p : m.named_parameters(true)) tensors.emplace_back(prefix + p.key(), torch::randn(p.value().sizes()) * 0.05);
  };
  CLIPTextModel text(big_g, opts);
  UNetModel unet(cfg.unet, opts);
  add(big_g.prefix, *text);
  add(kUNetPrefix, *unet);
  for (auto& [k, v] : load_all(kit("tiny-sdxl") / "model.safetensors")) {
    if (k.rfind(kVAEPrefix, 0) == 0) tensors.emplace_back(k, v);
  }
  const auto dir = std::filesystem::temp_directory_path() / "strata_refiner";
  std::filesystem::create_directories(dir);
  save_safetensors(dir / "refiner.safetensors", tensors, {{"strata.text_encoder.heads", "3"}});

  PipelineOptions o;
  o.model = dir / "refiner.safetensors";
  o.tokenizer = test::reference_dir() / "clip";
  auto p = Pipeline::load(o);
  const auto& rc = p->summary().config;
  CHECK(rc.family == ModelFamily::SDXL);
  CHECK(rc.variant == "refiner");
  CHECK(rc.unet.adm_time_ids == 5);
  CHECK(rc.unet.adm_time_dim == cfg.unet.adm_time_dim);
  auto req = family_img2img("tiny-sdxl", 0.3);
  auto txt2img = req;
  txt2img.init_image.reset();
  try {
    p->generate(txt2img);
    FAIL("a refiner generated from text alone");
  } catch (const doc::Error& e) {
    CHECK(e.code() == doc::ErrorCode::InvalidArgument);
    CHECK_THAT(e.what(), Catch::Contains("refiner") && Catch::Contains("init image"));
  }
  auto a = p->generate(req).front();
  req.aesthetic_score = 2.0;  // the score conditions the UNet: another image
  auto b = p->generate(req).front();
  CHECK(a.image.pixels != b.image.pixels);
}

TEST_CASE("families: an SD 2.x file with no config says its prediction type by a measured probe", "[families]") {
  REQUIRE_REFERENCE();
  const auto dir = std::filesystem::temp_directory_path() / "strata_probe";
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir / "config.json");
  // The head numbers the tiny kit's config.json gives (full-size SD 2.x needs none), but no prediction.
  NamedTensors all;
  for (auto& [k, v] : load_all(kit("tiny-sd21v") / "model.safetensors")) all.emplace_back(k, v);
  save_safetensors(dir / "sd21v.safetensors", all, {{"strata.unet.head_dim", "16"}, {"strata.text_encoder.heads", "4"}});
  // The probe's verdict depends on trained weights (random ones say nothing), so its rule is checked
  // by pushing the UNet's output far below / above the input through the final conv's bias.
  for (const double bias : {-5.0, 5.0}) {
    auto m = load_model(dir / "sd21v.safetensors");
    CHECK_FALSE(m.config.prediction_from_hint);
    {
      c10::InferenceMode guard;
      m.unet->out_conv->bias.fill_(bias);
    }
    probe_sd2_prediction(m);
    bool measured = false;
    for (const auto& n : m.config.notes) measured = measured || n.find("measured (AUTOMATIC1111's probe") != std::string::npos;
    CHECK(measured);
    CHECK(m.config.prediction == (bias < 0 ? Prediction::VPrediction : Prediction::Epsilon));
    CHECK(m.config.native_size == (bias < 0 ? 768 : 512));
  }
  // A stated type is never second-guessed.
  auto stated = load_model(kit("tiny-sd21v") / "model.safetensors");
  const auto notes = stated.config.notes.size();
  probe_sd2_prediction(stated);
  CHECK(stated.config.notes.size() == notes);
  CHECK(stated.config.prediction == Prediction::VPrediction);
}
