// strata_training: a tiny run (32×32 scenes, a few steps per stage) through train() — losses
// decrease, the same seed gives the same bytes, stopping and resuming gives the bytes of an
// uninterrupted run, and the exported single file loads through load_model and the Pipeline.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "models/loader.h"
#include "strata/diffusion/pipeline.h"
#include "strata/training/training.h"
#include "pipeline/image_tensor.h"
#include "strata/scenes/render.h"
// core/training/src (private):
#include "init.h"
#include "latent_cache.h"
#include "scene_batches.h"
#include "state.h"
#include "text_pretrain.h"

using namespace strata::diffusion;
using namespace strata::training;
namespace training = strata::training;
namespace fs = std::filesystem;

namespace {

fs::path test_root() {
  static const fs::path root = [] {
    auto p = fs::temp_directory_path() / ("strata-test-training-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
  }();
  return root;
}

// One tokenizer for every run, trained by the torch-free tool.
const fs::path& tokenizer_file() {
  static const fs::path file = [] {
    auto f = test_root() / "tokenizer.model";
    const std::string cmd = std::string("'") + STRATA_SPM_TRAIN + "' -o '" + f.string() + "' --captions 2000 --vocab 256 >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    return f;
  }();
  return file;
}

TrainOptions tiny_options(const std::string& name) {
  TrainOptions o;
  o.out_dir = test_root() / name;
  o.tokenizer = tokenizer_file();
  o.seed = 7;
  o.threads = 1;
  o.image_size = 32;
  o.vae_steps = 12;
  o.vae_batch = 2;
  o.vae_crop = 32;
  o.vae_lr = 3e-4f;
  o.unet_channels = 32;
  o.unet_channel_mult = {1, 2};
  o.unet_attention_levels = {1};
  o.unet_heads = 2;
  o.text_width = 32;
  o.text_layers = 1;
  o.text_heads = 2;
  o.ldm_steps = 12;
  o.ldm_batch = 4;
  o.ldm_lr = 2e-3f;
  o.warmup_steps = 2;
  o.checkpoint_every = 0;
  o.export_every = 0;
  o.scale_batches = 1;
  o.latent_cache_scenes = 24;
  o.text_pretrain_steps = 3;
  o.text_pretrain_batch = 8;
  return o;
}

std::string bytes_of(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

double mean(const std::vector<double>& v, std::size_t from, std::size_t to) {
  return std::accumulate(v.begin() + static_cast<long>(from), v.begin() + static_cast<long>(to), 0.0) /
         static_cast<double>(to - from);
}

const TrainResult& reference_run() {
  static const TrainResult r = train(tiny_options("a"));
  return r;
}

}  // namespace

TEST_CASE("training: precision auto follows the bf16 probe; bf16 and fp32 are taken as given", "[training]") {
  TrainOptions o;
  o.precision = TrainPrecision::BF16;
  CHECK(uses_bf16(o));
  o.precision = TrainPrecision::FP32;
  CHECK_FALSE(uses_bf16(o));
  o.precision = TrainPrecision::Auto;
  CHECK(uses_bf16(o) == bf16_sums_in_fp32(Device::CPU));
  // The probe measures the kernels: a bf16 product that sums in fp32 is off by its final rounding only.
  auto a = torch::rand({64, 512}).sub_(0.5).to(torch::kBFloat16), b = torch::rand({512, 64}).sub_(0.5).to(torch::kBFloat16);
  auto exact = torch::mm(a.to(torch::kFloat32), b.to(torch::kFloat32));
  const double rel = ((torch::mm(a, b).to(torch::kFloat32) - exact).abs().mean() / exact.abs().mean()).item<double>();
  CHECK(bf16_sums_in_fp32(Device::CPU) == (rel < 5e-3));
}

TEST_CASE("training: scene batches are a function of (stream, step)", "[training]") {
  auto a = training::render_batch(5, 3, 4, 32, 0.5f);
  auto b = training::render_batch(5, 3, 4, 32, 0.5f);
  auto c = training::render_batch(5, 4, 4, 32, 0.5f);
  CHECK(a.rgb == b.rgb);
  CHECK(a.captions == b.captions);
  CHECK(a.rgb != c.rgb);
  training::SceneBatchQueue queue(5, 2, 5, 4, 32, 0.5f);
  CHECK(queue.next().step == 2);
  auto third = queue.next();
  CHECK(third.step == 3);
  CHECK(third.rgb == a.rgb);
}

TEST_CASE("training: batches are rendered item by item across cores, each item as if alone", "[training]") {
  std::vector<int> calls(37, 0);
  training::for_each_item(37, [&](int i) { ++calls[static_cast<std::size_t>(i)]; });
  CHECK(std::all_of(calls.begin(), calls.end(), [](int c) { return c == 1; }));
  CHECK_THROWS_WITH(training::for_each_item(9, [](int i) {
                      if (i == 7) throw std::runtime_error("item 7 failed");
                    }),
                    "item 7 failed");
  const auto batch = training::render_batch(11, 2, 6, 32, 0.f);
  for (int i = 0; i < 6; ++i) {
    auto one = training::blank_batch(0, 1, 32);
    training::render_item(one, 0, batch.scenes[static_cast<std::size_t>(i)]);
    const auto plane = one.rgb.size();
    CHECK(std::equal(one.rgb.begin(), one.rgb.end(), batch.rgb.begin() + static_cast<std::ptrdiff_t>(plane * static_cast<std::size_t>(i))));
  }
}

TEST_CASE("training: the latent cache is encoded once and its batches are a function of (stream, step)", "[training]") {
  TrainOptions o = tiny_options("cache");
  fs::remove_all(o.out_dir);
  auto gen = training::make_generator(3);
  AutoencoderKL vae(training::vae_config(o), torch::TensorOptions().dtype(torch::kFloat32));
  training::init_parameters(*vae, gen);
  const fs::path file = o.out_dir / "latents.safetensors";
  int calls = 0;
  auto first = training::open_latent_cache(o, vae, 0.5f, 9, 40, file, [&](int, int) { ++calls; });
  CHECK(calls == 2);  // 32 + 8 scenes
  REQUIRE(first.mean.sizes() == torch::IntArrayRef({40, 4, 4, 4}));
  CHECK(first.scenes.size() == 40);
  calls = 0;
  auto again = training::open_latent_cache(o, vae, 0.5f, 9, 40, file, [&](int, int) { ++calls; });
  CHECK(calls == 0);  // read back from the file
  CHECK(torch::equal(first.mean, again.mean));
  CHECK(torch::equal(first.std, again.std));
  training::open_latent_cache(o, vae, 0.25f, 9, 40, file, [&](int, int) { ++calls; });
  CHECK(calls == 2);  // another VAE scale: encoded afresh
  {  // The cached mean is the VAE's posterior mean of the rendered scene.
    torch::NoGradGuard no_grad;
    auto x = image_to_tensor(strata::scenes::render(first.scenes[37], 32, 32));
    auto mean = AutoencoderKLImpl::split_moments(vae->encode_moments(x)).mean;
    CHECK(torch::allclose(first.mean[37].to(torch::kFloat32), mean[0], 1e-2, 1e-2));
  }
  auto a = training::latent_batch(first, 9, 4, 6, 0.5f);
  auto b = training::latent_batch(first, 9, 4, 6, 0.5f);
  auto c = training::latent_batch(first, 9, 5, 6, 0.5f);
  CHECK(torch::equal(a.z0, b.z0));
  CHECK(a.captions == b.captions);
  CHECK_FALSE(torch::equal(a.z0, c.z0));
}

TEST_CASE("training: the learning rate warms up, then stays or decays along a cosine", "[training]") {
  using training::learning_rate;
  CHECK(learning_rate(1e-3, 0, 10) == Approx(1e-4));
  CHECK(learning_rate(1e-3, 9, 10) == Approx(1e-3));
  CHECK(learning_rate(1e-3, 500, 10) == Approx(1e-3));             // constant without a final rate
  CHECK(learning_rate(1e-3, 0, 10, 1e-4, 110) == Approx(1e-4));    // warm-up unchanged
  CHECK(learning_rate(1e-3, 10, 10, 1e-4, 110) == Approx(1e-3));   // decay starts at the base
  CHECK(learning_rate(1e-3, 60, 10, 1e-4, 110) == Approx(5.5e-4)); // half-way: the mean of both
  CHECK(learning_rate(1e-3, 110, 10, 1e-4, 110) == Approx(1e-4));
  CHECK(learning_rate(1e-3, 500, 10, 1e-4, 110) == Approx(1e-4));  // resumed past the end: stays at the final rate
  CHECK(learning_rate(1e-3, 30, 10, 1e-4, 110) > learning_rate(1e-3, 31, 10, 1e-4, 110));
}

TEST_CASE("training: the shape loss weights favour latent pixels at the shapes", "[training]") {
  using namespace strata::scenes;
  Scene one;
  one.bg = {BackgroundKind::Solid, Colour::Blue, Colour::Blue};
  one.shapes.push_back({Kind::Star, Colour::Red, Size::Large, Position::TopLeft, 0.25f, 0.25f, 0.2f, 0.f});
  Scene none;  // no shapes: every pixel weighs the same
  none.bg = one.bg;
  auto w = training::shape_loss_weights({one, none}, 16, 4.f);
  REQUIRE(w.sizes() == torch::IntArrayRef({2, 1, 16, 16}));
  CHECK(torch::allclose(w[1], torch::ones({1, 16, 16})));
  const double at_star = w[0][0][4][4].item<double>(), far = w[0][0][13][13].item<double>();
  CHECK(far == Approx(1.0));      // the background keeps its weight
  CHECK(at_star == Approx(5.0));  // 1 + 4 · full coverage
  // The rim: one latent pixel around the star weighs more too.
  const auto mask = render_shape_mask(one, 16, 16);
  const auto covered = std::count_if(mask.pixels.begin(), mask.pixels.end(), [](std::uint8_t v) { return v > 0; });
  CHECK((w[0] > far + 1e-4).sum().item<int64_t>() > covered);
  auto plain = training::shape_loss_weights({one}, 16, 0.f);
  CHECK(torch::allclose(plain, torch::ones({1, 1, 16, 16})));
}

TEST_CASE("training: the text encoder warm-up learns to read captions", "[training]") {
  TrainOptions o = tiny_options("text");
  o.text_pretrain_steps = 60;
  o.text_pretrain_batch = 32;
  o.text_pretrain_lr = 5e-3f;
  o.warmup_steps = 5;
  TrainHooks hooks;
  std::vector<double> losses;
  hooks.on_progress = [&](const TrainProgress& p) {
    CHECK(p.stage == "text");
    losses.push_back(p.loss);
  };
  TrainResult result;
  training::StageContext ctx{o, hooks, result};
  auto tokenizer = open_tokenizer(o.tokenizer);
  CLIPTextModel text(training::text_config(o, tokenizer->vocab_size(), tokenizer->bos_id(), tokenizer->eos_id(),
                                           tokenizer->pad_id()),
                     torch::TensorOptions().dtype(torch::kFloat32));
  auto gen = training::make_generator(4);
  training::init_parameters(*text, gen);
  const double read = training::pretrain_text_encoder(ctx, text, *tokenizer, 11);
  REQUIRE(losses.size() == 60);
  CHECK(mean(losses, 50, 60) < 0.85 * mean(losses, 0, 10));
  CHECK(read >= 0.0);
  CHECK(read <= 1.0);
}

TEST_CASE("training: losses fall in a tiny run", "[training]") {
  TrainOptions o = tiny_options("losses");
  o.latent_cache_scenes = 0;  // fresh scenes every step (the reference run uses the cache)
  o.vae_steps = 80;
  o.vae_batch = 4;
  o.ldm_steps = 40;
  auto r = train(o);
  REQUIRE(r.finished);
  REQUIRE(r.vae_losses.size() == 80);
  REQUIRE(r.ldm_losses.size() == 40);
  CHECK(mean(r.vae_losses, 60, 80) < 0.9 * mean(r.vae_losses, 0, 20));
  CHECK(mean(r.ldm_losses, 30, 40) < 0.8 * mean(r.ldm_losses, 0, 10));
  CHECK(r.scale_factor > 0.f);
}

TEST_CASE("training: the same seed gives the same model", "[training]") {
  const auto& a = reference_run();
  REQUIRE(a.finished);
  auto b = train(tiny_options("b"));
  REQUIRE(b.finished);
  CHECK(a.vae_losses == b.vae_losses);
  CHECK(a.ldm_losses == b.ldm_losses);
  CHECK(bytes_of(a.model_file) == bytes_of(b.model_file));
  auto other = tiny_options("other-seed");
  other.seed = 8;
  other.ldm_steps = 2;
  other.vae_steps = 2;
  CHECK(bytes_of(train(other).model_file) != bytes_of(a.model_file));
}

TEST_CASE("training: stop and resume equals an uninterrupted run", "[training]") {
  const auto& a = reference_run();
  auto o = tiny_options("resumed");
  o.stop_at_step = 5;  // inside the VAE stage
  auto first = train(o);
  CHECK_FALSE(first.finished);
  CHECK(first.vae_losses.size() == 5);
  o.stop_at_step = o.vae_steps + 4;  // inside the LDM stage
  auto second = train(o);
  CHECK_FALSE(second.finished);
  CHECK(second.ldm_losses.size() == 4);
  o.stop_at_step = -1;
  auto third = train(o);
  REQUIRE(third.finished);
  CHECK(third.vae_losses.empty());  // the finished VAE stage is restored, not rerun
  CHECK(third.ldm_losses.size() == static_cast<std::size_t>(o.ldm_steps - 4));
  CHECK(third.scale_factor == a.scale_factor);
  CHECK(bytes_of(third.model_file) == bytes_of(a.model_file));
}

TEST_CASE("training: a run can start from a model file and grow attention at another UNet level", "[training]") {
  const auto& a = reference_run();
  auto o = tiny_options("grown");
  o.ldm_init_from = a.model_file;
  o.unet_attention_levels = {0, 1};
  o.ldm_steps = 0;  // export the starting point itself
  const auto grown = train(o);
  REQUIRE(grown.finished);
  auto before = load_model(a.model_file);
  auto after = load_model(grown.model_file);
  CHECK(after.config.unet.attention_levels == std::vector<int>{0, 1});
  CHECK(after.unet->parameters().size() > before.unet->parameters().size());
  // The new transformers' output projections start at zero, so the grown UNet computes what the
  // old one did, and the text encoder is the old one.
  {
    torch::NoGradGuard no_grad;
    torch::manual_seed(3);
    const auto z = torch::randn({2, 4, 4, 4});
    const auto context = torch::randn({2, 77, 32});
    const auto t = torch::tensor({500.f, 20.f});
    CHECK(torch::allclose(after.unet->forward(z, t, context), before.unet->forward(z, t, context), 1e-5, 1e-6));
    const auto ids = torch::randint(0, 20, {1, 77}, torch::kInt64);
    CHECK(torch::equal(after.text_encoder->forward(ids), before.text_encoder->forward(ids)));
  }

  // A model of another width cannot seed a run: the error names the parameter and both shapes.
  auto wide = tiny_options("wide");
  wide.ldm_init_from = a.model_file;
  wide.unet_channels = 64;
  wide.ldm_steps = 0;
  CHECK_THROWS_WITH(train(wide), Catch::Contains("strata-shapes.safetensors: ") && Catch::Contains(".weight has shape [") && Catch::Contains("the model being trained needs ["));
}

TEST_CASE("training: a run can take its VAE from a model file and fine-tune that model", "[training]") {
  const auto& a = reference_run();
  auto o = tiny_options("vae-from");
  o.vae_from = a.model_file;
  o.ldm_init_from = a.model_file;
  o.vae_lr = 1.0f;  // would wreck the VAE if a single VAE step ran
  o.ldm_steps = 2;
  const auto tuned = train(o);
  REQUIRE(tuned.finished);
  CHECK(tuned.vae_losses.empty());
  CHECK(tuned.ldm_losses.size() == 2);
  CHECK(tuned.scale_factor == a.scale_factor);
  auto before = load_model(a.model_file);
  auto after = load_model(tuned.model_file);
  CHECK(after.config.vae.scale_factor == before.config.vae.scale_factor);
  const auto old_vae = before.vae->named_parameters(true);
  for (const auto& p : after.vae->named_parameters(true)) {
    INFO(p.key());
    REQUIRE(old_vae.find(p.key()) != nullptr);
    CHECK(torch::equal(p.value(), *old_vae.find(p.key())));
  }
  // The LDM did train: its UNet moved away from the starting point.
  const auto old_unet = before.unet->named_parameters(true);
  bool moved = false;
  for (const auto& p : after.unet->named_parameters(true)) moved = moved || !torch::equal(p.value(), *old_unet.find(p.key()));
  CHECK(moved);

  // A VAE of another width is refused, naming the file.
  auto wide = tiny_options("vae-from-wide");
  wide.vae_from = a.model_file;
  wide.vae_base_channels = 2 * o.vae_base_channels;
  wide.ldm_steps = 0;
  CHECK_THROWS_WITH(train(wide), Catch::Contains("strata-shapes.safetensors: ") && Catch::Contains("shape"));
}

TEST_CASE("training: the export loads as an SD checkpoint and generates", "[training]") {
  const auto& a = reference_run();
  REQUIRE(fs::exists(a.model_file.parent_path() / "tokenizer.model"));
  REQUIRE(fs::exists(a.model_file.parent_path() / "config.json"));
  auto model = load_model(a.model_file);
  CHECK(model.config.family == ModelFamily::SD1);
  CHECK(model.config.native_size == 32);
  CHECK(model.config.unet.num_heads == 2);
  CHECK(model.config.text.heads == 2);
  CHECK(model.config.vae.scale_factor == a.scale_factor);
  CHECK(model.config.vae.latent_rgb.size() == 15);  // the preview projection, fitted at export
  CHECK(model.tokenizer_dir.filename() == "tokenizer.model");

  PipelineOptions po;
  po.model = a.model_file;
  po.threads = 1;
  auto pipeline = Pipeline::load(po);
  GenerationRequest req;
  req.prompt = "a red circle on a blue background";
  req.width = 64;  // 2x native: the smallest size a request may ask for
  req.height = 64;
  req.steps = 3;
  auto images = pipeline->generate(req);
  REQUIRE(images.size() == 1);
  CHECK(images[0].image.width == 64);
  CHECK(images[0].image.channels == 3);
}
