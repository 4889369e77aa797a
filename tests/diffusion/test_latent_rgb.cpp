// Live preview colours: the latent→RGB projection's choice per model, least-squares fitting, its
// storage in a safetensors header (weights byte-identical), and the embedded model's previews.
#include <catch2/catch.hpp>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "models/loader.h"
#include "networks/latent_rgb.h"
#include "reference.h"
#include "safetensors_writer.h"
#include "strata/diffusion/pipeline.h"
#include "strata/diffusion/tensor_index.h"

using namespace strata;
using namespace strata::diffusion;
namespace fs = std::filesystem;

namespace {

std::vector<char> file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The bytes after the header: the weights.
std::vector<char> data_bytes(const fs::path& p) {
  auto b = file_bytes(p);
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[i])) << (8 * i);
  return {b.begin() + 8 + static_cast<std::ptrdiff_t>(n), b.end()};
}

// Mean RGB of `img` over the rectangle [x0, x1) × [y0, y1).
std::array<double, 3> mean_rgb(const doc::Image8& img, int x0, int y0, int x1, int y1) {
  std::array<double, 3> m{};
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      for (int c = 0; c < 3; ++c) m[c] += img.pixels[(static_cast<std::size_t>(y) * img.width + x) * img.channels + c];
  for (auto& v : m) v /= static_cast<double>((x1 - x0) * (y1 - y0));
  return m;
}

}  // namespace

TEST_CASE("latent_rgb: a fit on a known linear map recovers it", "[preview]") {
  auto gen = at::detail::createCPUGenerator(7);
  const std::vector<float> truth{0.3f, -0.2f, 0.1f, 0.05f, 0.4f, -0.3f, -0.25f, 0.15f, 0.2f, 0.1f, 0.1f, -0.6f, 0.02f, -0.05f, 0.1f};
  auto latents = torch::randn({3, 4, 8, 8}, gen);
  auto fitted = fit_latent_rgb(latents, apply_latent_rgb(latents, truth));
  REQUIRE(fitted.size() == 15);
  for (std::size_t i = 0; i < 15; ++i) CHECK(fitted[i] == Approx(truth[i]).margin(1e-4));
}

TEST_CASE("latent_rgb: stored, then SD's and SDXL's tables, else fitted", "[preview]") {
  VAEConfig sd;
  CHECK(latent_rgb_source(sd) == "sd");
  VAEConfig xl;
  xl.scale_factor = 0.13025f;
  CHECK(latent_rgb_source(xl) == "sdxl");
  VAEConfig small;
  small.base_channels = 32;
  small.norm_groups = 8;
  small.scale_factor = 0.2193f;
  CHECK(latent_rgb_source(small).empty());
  small.latent_rgb = sd_latent_rgb();
  CHECK(latent_rgb_source(small) == "stored");
  // The metadata value round-trips through ModelHints (what detection reads).
  auto hints = ModelHints::from_metadata({{kLatentRgbKey, latent_rgb_metadata(sdxl_latent_rgb())}});
  REQUIRE(hints.latent_rgb);
  for (std::size_t i = 0; i < 15; ++i) CHECK((*hints.latent_rgb)[i] == Approx(sdxl_latent_rgb()[i]).margin(1e-6));
  CHECK_FALSE(ModelHints::from_metadata({{kLatentRgbKey, "[1, 2, 3]"}}).latent_rgb);
  CHECK_FALSE(ModelHints::from_metadata({{kLatentRgbKey, "not json"}}).latent_rgb);
}

TEST_CASE("latent_rgb: storing the projection rewrites only the header", "[preview]") {
  const fs::path dir = fs::temp_directory_path() / "strata_latent_rgb_test";
  fs::create_directories(dir);
  const fs::path file = dir / "m.safetensors";
  save_safetensors(file, {{"a", torch::arange(10, torch::kFloat16)}, {"b", torch::ones({3, 5})}}, {{"strata.native_size", "64"}});
  const auto before = data_bytes(file);
  store_preview_projection(file, sd_latent_rgb());
  CHECK(data_bytes(file) == before);
  auto index = TensorIndex::open(file);
  CHECK(index.metadata().at("strata.native_size") == "64");
  auto hints = ModelHints::from_metadata(index.metadata());
  REQUIRE(hints.latent_rgb);
  CHECK((*hints.latent_rgb)[0] == Approx(sd_latent_rgb()[0]));
  fs::remove_all(dir);
}

TEST_CASE("latent_rgb: the embedded model's previews show the final image's colours", "[preview][embedded]") {
  const fs::path model = test::source_dir() / "models/strata-shapes/strata-shapes.safetensors";
  if (!fs::exists(model)) {
    WARN("no embedded model in models/strata-shapes: skipped");
    return;
  }
  // Stored in the committed file, close to what fitting it now gives.
  auto loaded = load_model(model);
  REQUIRE(latent_rgb_source(loaded.config.vae) == "stored");
  const auto t0 = std::chrono::steady_clock::now();
  const auto refit = fit_latent_rgb(loaded.vae, loaded.config.vae.scale_factor);
  const double fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WARN("fitting the embedded model's projection at load takes " << fit_seconds << " s");
  for (std::size_t i = 0; i < 15; ++i) CHECK(refit[i] == Approx(loaded.config.vae.latent_rgb[i]).margin(1e-3));

  PipelineOptions po;
  po.model = model;
  auto pipeline = Pipeline::load(po);
  GenerationRequest r;
  r.prompt = "a red circle on a blue background";
  r.seed = 1;
  r.width = r.height = 128;
  doc::Image8 last;
  GenerationHooks hooks;
  hooks.preview_every = 1;
  hooks.on_preview = [&](const Preview& p) { last = p.image; };
  auto out = pipeline->generate(r, hooks);
  REQUIRE(out.size() == 1);
  const auto& image = out[0].image;
  REQUIRE(last.width == image.width);
  REQUIRE(last.height == image.height);
  // The whole preview against the final image: the same colours (the preview is the x0 prediction at
  // latent resolution, so only its mean colour is compared), blue around, red somewhere.
  const int w = image.width, h = image.height;
  const auto p = mean_rgb(last, 0, 0, w, h), f = mean_rgb(image, 0, 0, w, h);
  WARN("mean colour: preview (" << p[0] << ", " << p[1] << ", " << p[2] << "), final (" << f[0] << ", " << f[1] << ", "
                                << f[2] << ")");
  for (int c = 0; c < 3; ++c) CHECK(std::abs(p[c] - f[c]) < 45.0);
  const auto corner = mean_rgb(last, 0, h - 24, 24, h);  // bottom left: background in this image
  CHECK(corner[2] > corner[0] + 60);
  CHECK(corner[2] > corner[1] + 40);
  int red = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (last.at(x, y, 0) > last.at(x, y, 1) + 80 && last.at(x, y, 0) > last.at(x, y, 2) + 80) ++red;
    }
  }
  WARN(red << " of " << w * h << " preview pixels are red");
  CHECK(red > w * h / 50);
}
