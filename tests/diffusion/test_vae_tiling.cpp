// Tiled VAE encode/decode (pipeline/vae_codec): the tile plan covers every size with the stated
// overlap, the blend weights sum to one, a pointwise function through the tiles equals it on the
// whole, Off/one tile is exactly the whole result, and on the tiny SD1.5 and SDXL VAEs a tiled
// decode/encode with small tiles stays within a measured bound of the whole one.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <string>

#include "network_test_support.h"
#include "pipeline/vae_codec.h"
#include "strata/diffusion/model_config.h"

using namespace strata;
using namespace strata::diffusion;

namespace {

AutoencoderKL load_kit_vae(const std::string& kit) {
  auto index = TensorIndex::open(test::reference_dir() / kit / "model.safetensors");
  auto config = ModelConfig::detect(index).vae;
  AutoencoderKL vae(config, torch::TensorOptions().dtype(torch::kFloat32));
  test::load_parameters(*vae, index, "first_stage_model.");
  return vae;
}

struct Diff {
  double max = 0, mean = 0;
};

Diff diff(const torch::Tensor& a, const torch::Tensor& b) {
  auto d = (a - b).abs();
  return {d.max().item<double>(), d.mean().item<double>()};
}

const torch::Device kCpu{torch::kCPU};

}  // namespace

TEST_CASE("vae tiling: tile plans cover [0, n) with the overlap and weights sum to one", "[vae][tiling]") {
  c10::InferenceMode guard;
  for (auto [tile, overlap] : {std::pair<int64_t, int64_t>{16, 4}, {64, 16}, {9, 3}, {10, 1}, {48, 16}}) {
    for (int64_t n = 1; n <= 260; ++n) {
      INFO("n " << n << ", tile " << tile << ", overlap " << overlap);
      auto spans = plan_tiles(n, tile, overlap);
      REQUIRE(!spans.empty());
      CHECK(spans.front().start == 0);
      CHECK(spans.back().start + spans.back().size == n);
      for (size_t i = 0; i < spans.size(); ++i) {
        CHECK(spans[i].size == std::min(tile, n));
        if (i > 0) CHECK(spans[i - 1].start + spans[i - 1].size - spans[i].start >= overlap);
      }
      // Fewest tiles: one fewer could not cover n with the overlap.
      const auto k = static_cast<int64_t>(spans.size());
      if (k > 1) CHECK((k - 2) * (tile - overlap) + tile < n);
      for (int64_t scale : {1, 8}) {
        auto weights = blend_weights(spans, overlap, scale);
        auto sum = torch::zeros({n * scale});
        for (size_t i = 0; i < spans.size(); ++i) {
          CHECK(weights[i].min().item<float>() >= 0.0f);
          CHECK(weights[i].max().item<float>() <= 1.0f);
          sum.narrow(0, spans[i].start * scale, spans[i].size * scale).add_(weights[i]);
        }
        CHECK((sum - 1).abs().max().item<double>() < 1e-6);
      }
    }
  }
}

TEST_CASE("vae tiling: pointwise functions and constants pass through the blend unchanged", "[vae][tiling]") {
  c10::InferenceMode guard;
  torch::manual_seed(3);
  const VaeTileSize small{12, 4};
  // Decode-like (1 latent → 8 px) on an odd 37 × 23 latent, and encode-like (8 px → 1 latent).
  auto x = torch::randn({1, 4, 37, 23});
  auto up = [](const torch::Tensor& t) {
    return torch::tanh(t.narrow(1, 0, 3)).repeat_interleave(8, 2).repeat_interleave(8, 3) * 2 + 0.5;
  };
  auto tiled = blend_tiles(x, 1, 8, small, up);
  REQUIRE(tiled.sizes() == torch::IntArrayRef({1, 3, 37 * 8, 23 * 8}));
  CHECK(diff(tiled, up(x)).max < 1e-5);

  auto pixels = torch::randn({1, 3, 37 * 8, 23 * 8});
  auto down = [](const torch::Tensor& t) { return torch::avg_pool2d(t, 8) * 3; };
  auto tiled_down = blend_tiles(pixels, 8, 1, small, down);
  REQUIRE(tiled_down.sizes() == torch::IntArrayRef({1, 3, 37, 23}));
  CHECK(diff(tiled_down, down(pixels)).max < 1e-5);

  // A constant output stays that constant (no gaps, no double counting at corners).
  auto constant = blend_tiles(x, 1, 8, small, [](const torch::Tensor& t) {
    return torch::full({1, 3, t.size(2) * 8, t.size(3) * 8}, 0.75f);
  });
  CHECK(diff(constant, torch::full_like(constant, 0.75f)).max < 1e-6);
}

TEST_CASE("vae tiling: when tiles are used", "[vae][tiling]") {
  const VaeTileSize d;  // 64 latents
  CHECK_FALSE(use_tiles(VaeTiling::Off, 512, 512));
  CHECK_FALSE(use_tiles(VaeTiling::On, 64, 64));
  CHECK(use_tiles(VaeTiling::On, 65, 8));
  CHECK(use_tiles(VaeTiling::On, 8, 65, d));
  CHECK_FALSE(use_tiles(VaeTiling::Auto, 128, 128));  // 1024² px: whole
  CHECK(use_tiles(VaeTiling::Auto, 129, 128));
  CHECK(use_tiles(VaeTiling::Auto, 256, 256));  // 2048² px
  CHECK(use_tiles(VaeTiling::Auto, 512, 512));  // 4096² px
  CHECK_FALSE(use_tiles(VaeTiling::Auto, 16385, 1, {20000, 16}));  // one tile
}

TEST_CASE("vae tiling: tiny-kit decode and encode in tiles stay close to the whole result", "[vae][tiling][reference]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  // 24-latent tiles (192 px) with ≥ 8 latents of overlap, on odd sizes: 3 × 2 tiles. The tiny VAEs
  // see little context in a tile (their deepest level is 3 × 3 there), so the difference is larger
  // than with the 64-latent default on a real VAE; it falls with the tile size (16 → 32 latents:
  // encode mean error 0.21 → 0.04 on average).
  const VaeTileSize small{24, 8};
  for (const std::string kit : {"tiny-sd15", "tiny-sdxl"}) {
    INFO(kit);
    auto vae = load_kit_vae(kit);
    const int64_t f = vae->config().downsample_factor();
    REQUIRE(f == 8);
    torch::manual_seed(11);
    // Decode: UNet-space latents ~ N(0, 1).
    auto latents = torch::randn({1, 4, 53, 37});
    auto whole = vae_decode(vae, latents, VaeTiling::Off, kCpu, torch::kFloat32);
    CHECK(diff(whole, vae->decode(latents / vae->config().scale_factor)).max == 0.0);  // Off: exactly whole
    CHECK(diff(vae_decode(vae, latents, VaeTiling::On, kCpu, torch::kFloat32), whole).max == 0.0);  // one 64 tile
    CHECK(diff(vae_decode(vae, latents, VaeTiling::Auto, kCpu, torch::kFloat32), whole).max == 0.0);
    auto tiled = vae_decode_tiled(vae, latents, small, kCpu, torch::kFloat32);
    REQUIRE(tiled.sizes() == whole.sizes());
    auto dd = diff(tiled, whole);
    const double range = whole.abs().max().item<double>();
    WARN(kit << " decode 53×37 in 24/8 tiles: max |tiled − whole| " << dd.max << ", mean " << dd.mean
             << ", max |whole| " << range);
    // Measured (x86-64, fp32): max 0.24 / 0.27, mean 0.029 / 0.028 (sd15 / sdxl); bounds ×1.5.
    CHECK(dd.max > 0.0);  // the tiles were really used
    CHECK(dd.max < 0.4);
    CHECK(dd.mean < 0.045);

    // Encode: a smooth image in [-1, 1] of 53·8 × 37·8 px.
    auto image = torch::tanh(torch::upsample_bilinear2d(torch::randn({1, 3, 13, 9}) * 1.5, {53 * f, 37 * f}, false));
    auto whole_post = vae_encode(vae, image, VaeTiling::Off, kCpu, torch::kFloat32);
    auto one = AutoencoderKLImpl::split_moments(vae->encode_moments(image));
    CHECK(diff(whole_post.mean, one.mean).max == 0.0);
    CHECK(diff(whole_post.std, one.std).max == 0.0);
    CHECK(diff(vae_encode(vae, image, VaeTiling::On, kCpu, torch::kFloat32).mean, one.mean).max == 0.0);
    auto tiled_post = vae_encode_tiled(vae, image, small, kCpu, torch::kFloat32);
    REQUIRE(tiled_post.mean.sizes() == whole_post.mean.sizes());
    auto dm = diff(tiled_post.mean, whole_post.mean);
    auto dl = diff(tiled_post.logvar, whole_post.logvar);
    auto ds = diff(tiled_post.std, torch::exp(0.5 * tiled_post.logvar));
    WARN(kit << " encode 424×296 px in 24/8 tiles: mean max " << dm.max << " (avg " << dm.mean << "), logvar max "
             << dl.max << " (avg " << dl.mean << "), max |mean| " << whole_post.mean.abs().max().item<double>());
    // The encoder is more sensitive: measured mean max 1.6 / 2.4, average 0.18 / 0.22; logvar max
    // 1.5 / 2.3, average 0.15 / 0.18 (sd15 / sdxl). Bounds ×1.5.
    CHECK(dm.max > 0.0);
    CHECK(dm.max < 3.6);
    CHECK(dm.mean < 0.33);
    CHECK(dl.max < 3.5);
    CHECK(dl.mean < 0.28);
    CHECK(ds.max < 1e-6);  // std recomputed from the blended logvar
  }
}
