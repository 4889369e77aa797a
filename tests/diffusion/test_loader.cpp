// The weight loader and model sources: the tiny model loads exactly (fp32, bf16), a diffusers folder
// written from it through the inverse name table loads identically, and broken inputs are refused
// with the exact error code and the culprit named.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "models/diffusers_names.h"
#include "models/loader.h"
#include "reference.h"
#include "strata/diffusion/model_info.h"
#include "strata/doc/error.h"
#include "safetensors_writer.h"
#include "torch_tensors.h"

using namespace strata;
using namespace strata::diffusion;
using doc::ErrorCode;
namespace fs = std::filesystem;

namespace {

using Tensors = NamedTensors;

void write_safetensors(const fs::path& path, const Tensors& tensors, const std::map<std::string, std::string>& metadata = {}) {
  fs::create_directories(path.parent_path());
  save_safetensors(path, tensors, metadata);
}

fs::path tiny_path() { return test::reference_dir() / "tiny-sd15" / "model.safetensors"; }

Tensors tiny_tensors() {
  Tensors out;
  for (auto& [k, v] : load_all(tiny_path())) out.emplace_back(k, v);
  return out;
}

// Every parameter of the loaded model equals the file's tensor converted to `dtype` (bit-exact).
void expect_equal_to_file(const LoadedModel& m, const std::map<std::string, torch::Tensor>& ref, torch::ScalarType dtype) {
  std::size_t checked = 0;
  std::vector<std::pair<std::string, torch::nn::Module*>> parts = {
      {kTextEncoderPrefix, m.text_encoder.ptr().get()}, {kVAEPrefix, m.vae.ptr().get()}, {kUNetPrefix, m.unet.ptr().get()}};
  for (const auto& [prefix, module] : parts) {
    for (const auto& p : module->named_parameters(true)) {
      const auto& want = ref.at(prefix + p.key());
      INFO(prefix + p.key());
      REQUIRE(p.value().scalar_type() == dtype);
      REQUIRE(p.value().sizes() == want.sizes());
      REQUIRE(torch::equal(p.value(), want.to(dtype)));
      ++checked;
    }
  }
  CHECK(checked == 983 - 13);
}

template <class Fn>
void expect_error(Fn fn, ErrorCode code, const std::vector<std::string>& fragments) {
  try {
    fn();
    FAIL("no error");
  } catch (const doc::Error& e) {
    INFO(e.what());
    CHECK(e.code() == code);
    for (const auto& f : fragments) CHECK(std::string(e.what()).find(f) != std::string::npos);
  }
}

Tensors without(Tensors t, const std::string& key) {
  t.erase(std::remove_if(t.begin(), t.end(), [&](auto& p) { return p.first == key; }), t.end());
  return t;
}

}  // namespace

TEST_CASE("loader: the tiny model loads bit-exactly in fp32 and converts to bf16", "[models][loader]") {
  REQUIRE_REFERENCE();
  const auto ref = load_all(tiny_path());
  auto m = load_model(tiny_path(), {torch::kCPU, torch::kFloat32});
  CHECK(m.config.family == ModelFamily::SD1);
  CHECK(m.config.text.heads == 4);  // from config.json next to the file
  CHECK(m.parameter_bytes > 0);
  expect_equal_to_file(m, ref, torch::kFloat32);
  CHECK_FALSE(m.unet->is_training());

  auto b = load_model(tiny_path(), {torch::kCPU, torch::kBFloat16});
  expect_equal_to_file(b, ref, torch::kBFloat16);
  CHECK(b.parameter_bytes * 2 == m.parameter_bytes);
}

TEST_CASE("loader: a diffusers folder written through the inverse table loads identically", "[models][loader][diffusers]") {
  REQUIRE_REFERENCE();
  const bool legacy_vae_names = GENERATE(false, true);
  const auto ref = load_all(tiny_path());
  const auto source = models::open_model_source(tiny_path());
  const auto cfg = ModelConfig::detect(source.index, source.hints);
  const auto layout = models::layout_from_config(cfg);
  const auto dir = test::temp_dir(legacy_vae_names ? "diffusers_legacy" : "diffusers") / "tiny-diffusers";

  std::map<models::DiffusersComponent, Tensors> parts;
  for (const auto& [key, t] : ref) {
    auto d = models::to_diffusers(key, layout);
    if (!d) continue;  // DDPM buffers are not part of a diffusers folder
    auto tensor = d->second.conv1x1 ? t.reshape({t.size(0), t.size(1)}) : t;
    std::string name = d->second.name;
    if (legacy_vae_names) {
      for (auto [now, old] : {std::pair{"to_q.", "query."}, {"to_k.", "key."}, {"to_v.", "value."}, {"to_out.0.", "proj_attn."}}) {
        if (auto at = name.find(std::string("attentions.0.") + now); at != std::string::npos && d->first == models::DiffusersComponent::VAE) {
          name.replace(at + 13, std::string(now).size(), old);
        }
      }
    }
    // The text encoder goes in as an fp16 variant file: the loader must find and convert it.
    if (d->first == models::DiffusersComponent::TextEncoder && tensor.is_floating_point()) tensor = tensor.to(torch::kFloat16);
    parts[d->first].emplace_back(name, tensor);
  }
  write_safetensors(dir / "unet" / "diffusion_pytorch_model.safetensors", parts[models::DiffusersComponent::UNet]);
  write_safetensors(dir / "vae" / "diffusion_pytorch_model.safetensors", parts[models::DiffusersComponent::VAE]);
  write_safetensors(dir / "text_encoder" / "model.fp16.safetensors", parts[models::DiffusersComponent::TextEncoder]);
  std::ofstream(dir / "model_index.json") << R"({"_class_name": "StableDiffusionPipeline"})";
  std::ofstream(dir / "text_encoder" / "config.json") << R"({"num_attention_heads": 4, "hidden_act": "quick_gelu"})";
  std::ofstream(dir / "unet" / "config.json") << R"({"attention_head_dim": 8, "block_out_channels": [32, 64, 128, 128]})";
  fs::create_directories(dir / "tokenizer");

  const auto folder = models::open_model_source(dir);
  CHECK(folder.kind == models::SourceKind::DiffusersFolder);
  CHECK(folder.tokenizer_dir == dir / "tokenizer");
  const auto fcfg = ModelConfig::detect(folder.index, folder.hints);
  CHECK(fcfg.supported);
  CHECK(fcfg.unet.channel_mult == cfg.unet.channel_mult);
  CHECK(fcfg.unet.attention_levels == cfg.unet.attention_levels);
  CHECK(fcfg.unet.num_heads == 8);
  CHECK(fcfg.text.heads == 4);
  CHECK(fcfg.text.layers == cfg.text.layers);
  CHECK(fcfg.vae.channel_mult == cfg.vae.channel_mult);

  auto m = load_model(dir, {});
  std::map<std::string, torch::Tensor> want = ref;
  for (auto& [k, v] : want) {
    if (k.rfind(kTextEncoderPrefix, 0) == 0 && v.is_floating_point()) v = v.to(torch::kFloat16).to(torch::kFloat32);
  }
  expect_equal_to_file(m, want, torch::kFloat32);
  CHECK(m.tokenizer_dir == dir / "tokenizer");

  // Without its vae/ it is a broken diffusers folder, named as such.
  fs::remove_all(dir / "vae");
  expect_error([&] { (void)load_model(dir, {}); }, ErrorCode::NotFound, {"tiny-diffusers/vae/diffusion_pytorch_model.safetensors"});
}

TEST_CASE("loader: old CLIP key layout (no text_model.) is accepted", "[models][loader]") {
  REQUIRE_REFERENCE();
  Tensors t = tiny_tensors();
  for (auto& [k, v] : t) {
    const std::string modern = "cond_stage_model.transformer.text_model.";
    if (k.rfind(modern, 0) == 0) k = "cond_stage_model.transformer." + k.substr(modern.size());
  }
  const auto path = test::temp_dir("old_clip") / "old.safetensors";
  write_safetensors(path, t, {{"strata.text_encoder.heads", "4"}});
  auto m = load_model(path, {});
  CHECK(m.config.text.heads == 4);  // from __metadata__
  expect_equal_to_file(m, load_all(tiny_path()), torch::kFloat32);
}

TEST_CASE("loader: missing, unexpected and mis-shaped tensors are all named in one error", "[models][loader][bad-input]") {
  REQUIRE_REFERENCE();
  const auto dir = test::temp_dir("loader_bad");
  const std::string gone = "model.diffusion_model.output_blocks.5.0.out_layers.3.bias";

  SECTION("one missing tensor") {
    write_safetensors(dir / "missing.safetensors", without(tiny_tensors(), gone), {{"strata.text_encoder.heads", "4"}});
    expect_error([&] { (void)load_model(dir / "missing.safetensors", {}); }, ErrorCode::MissingTensor,
                 {gone + ": expected [128], missing from missing.safetensors"});
  }
  SECTION("all three kinds together; the code is the first kind found") {
    Tensors t = without(without(tiny_tensors(), gone), "cond_stage_model.transformer.text_model.final_layer_norm.bias");
    t.emplace_back("model.diffusion_model.extra.weight", torch::ones({3}));
    t.emplace_back("model_ema.decay", torch::ones({}));  // ignored
    for (auto& [k, v] : t) {
      if (k == "first_stage_model.quant_conv.bias") v = torch::zeros({7});
    }
    write_safetensors(dir / "many.safetensors", t, {{"strata.text_encoder.heads", "4"}});
    expect_error([&] { (void)load_model(dir / "many.safetensors", {}); }, ErrorCode::MissingTensor,
                 {"many.safetensors: 4 tensor problems (2 missing, 1 unexpected, 1 with the wrong shape)",
                  "cond_stage_model.transformer.text_model.final_layer_norm.bias: expected [32], missing from many.safetensors",
                  "first_stage_model.quant_conv.bias: expected [8], found [7] in many.safetensors", gone,
                  "model.diffusion_model.extra.weight: unexpected tensor [3] in many.safetensors"});
  }
  SECTION("a 9-channel UNet under a 4-channel config") {
    Tensors t = tiny_tensors();
    for (auto& [k, v] : t) {
      if (k == "model.diffusion_model.input_blocks.0.0.weight") v = torch::randn({32, 9, 3, 3});
    }
    write_safetensors(dir / "nine.safetensors", t);
    const auto source = models::open_model_source(dir / "nine.safetensors");
    auto cfg = ModelConfig::detect(source.index, source.hints);
    CHECK(cfg.variant == "inpainting");
    CHECK(cfg.unet.in_channels == 9);
    cfg.unet.in_channels = 4;
    expect_error([&] { (void)load_model(source, cfg, {}); }, ErrorCode::ShapeMismatch,
                 {"model.diffusion_model.input_blocks.0.0.weight: expected [32,4,3,3], found [32,9,3,3] in nine.safetensors"});
  }
}

TEST_CASE("loader: unsupported and non-model inputs are refused, naming the file", "[models][loader][bad-input]") {
  REQUIRE_REFERENCE();
  const auto dir = test::temp_dir("loader_refuse");

  SECTION("an SDXL-layout file without its second text encoder") {
    Tensors t;
    for (auto& [k, v] : tiny_tensors()) {
      const std::string clip = "cond_stage_model.transformer.";
      t.emplace_back(k.rfind(clip, 0) == 0 ? "conditioner.embedders.0.transformer." + k.substr(clip.size()) : k, v);
    }
    t.emplace_back("model.diffusion_model.label_emb.0.0.weight", torch::zeros({128, 2816}));
    write_safetensors(dir / "xl.safetensors", t);
    expect_error([&] { (void)load_model(dir / "xl.safetensors", {}); }, ErrorCode::UnsupportedModel,
                 {"xl.safetensors: no OpenCLIP bigG text encoder (conditioner.embedders.1.model.*) in xl.safetensors"});
    auto info = inspect_model(dir / "xl.safetensors");
    CHECK(info.config.family == ModelFamily::SDXL);
    CHECK_FALSE(info.runnable);
    CHECK(info.reason.find("no OpenCLIP bigG text encoder") == 0);
  }
  SECTION("a .ckpt pickle") {
    std::ofstream(dir / "model.ckpt", std::ios::binary) << std::string("\x80\x02}q\x00.", 6);
    expect_error([&] { (void)load_model(dir / "model.ckpt", {}); }, ErrorCode::UnsupportedModel, {"model.ckpt", "safetensors"});
  }
  SECTION("a folder that is not a diffusers model") {
    fs::create_directories(dir / "photos");
    std::ofstream(dir / "photos" / "a.txt") << "x";
    expect_error([&] { (void)load_model(dir / "photos", {}); }, ErrorCode::UnsupportedModel, {"photos", "not a diffusers model"});
  }
  SECTION("a diffusers folder with pickle weights") {
    fs::create_directories(dir / "pickled" / "unet");
    std::ofstream(dir / "pickled" / "model_index.json") << "{}";
    std::ofstream(dir / "pickled" / "unet" / "diffusion_pytorch_model.bin", std::ios::binary) << "PK\x03\x04";
    expect_error([&] { (void)load_model(dir / "pickled", {}); }, ErrorCode::UnsupportedModel, {"diffusion_pytorch_model.bin"});
  }
  SECTION("a path that does not exist") {
    expect_error([&] { (void)load_model(dir / "nope.safetensors", {}); }, ErrorCode::NotFound, {"nope.safetensors"});
  }
}

TEST_CASE("inspect: the tiny model described without loading", "[models][inspect]") {
  REQUIRE_REFERENCE();
  const auto info = inspect_model(tiny_path());
  CHECK(info.format == "safetensors");
  CHECK(info.runnable);
  CHECK(info.reason.empty());
  CHECK(info.problems.empty());
  CHECK(info.config.family == ModelFamily::SD1);
  CHECK(info.file_bytes == fs::file_size(tiny_path()));
  CHECK(info.storage_dtypes == std::vector<std::string>{"F32", "I64"});
  std::map<std::string, std::int64_t> expect;
  std::int64_t total = 0;
  for (auto& [k, v] : load_all(tiny_path())) {
    const char* comp = k.rfind("model.diffusion_model.", 0) == 0 ? "unet"
                       : k.rfind("first_stage_model.", 0) == 0 ? "vae"
                       : k.rfind("cond_stage_model.", 0) == 0  ? "text_encoder"
                                                                : "other";
    expect[comp] += v.numel();
    total += v.numel();
  }
  REQUIRE(info.components.size() == 4);
  for (const auto& c : info.components) CHECK(c.parameters == expect.at(c.name));
  CHECK(info.components[0].name == "unet");
  CHECK(info.components[0].tensors == 686);
  CHECK(info.components[3].name == "other");
  CHECK(info.components[3].tensors == 12);
  CHECK(info.total_parameters == total);
}
