// SD VAE (AutoencoderKL, ldm layout): decode/encode parity with diffusers/CompVis on the tiny SD1.5
// model (incl. a 16×12 latent and a 48×64 image), posterior split, chunked attention, bf16, and the
// full-size SD1.5 parameter names/shapes against the manifest.
#include <catch2/catch.hpp>

#include "network_test_support.h"
#include "networks/vae.h"

using namespace strata;
using diffusion::AutoencoderKL;
using diffusion::AutoencoderKLImpl;
using diffusion::VAEConfig;

namespace {

const std::string kPrefix = "first_stage_model.";

VAEConfig tiny_config() {
  VAEConfig c;  // channel_mult 1,2,4,4, 2 res blocks, latent 4, 32 groups: SD defaults
  c.base_channels = 32;
  return c;
}

AutoencoderKL load_tiny(torch::ScalarType dtype = torch::kFloat32) {
  AutoencoderKL model(tiny_config(), torch::TensorOptions().dtype(dtype));
  auto index = diffusion::TensorIndex::open(test::reference_dir() / "tiny-sd15/model.safetensors");
  test::load_parameters(*model, index, kPrefix);
  return model;
}

std::map<std::string, torch::Tensor> cases() {
  return diffusion::load_all(test::reference_dir() / "tiny-sd15/cases/vae.safetensors");
}

}  // namespace

TEST_CASE("vae: tiny SD1.5 decode matches the reference (8×8 and 16×12 latents)", "[vae][parity]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto model = load_tiny();
  auto ref = cases();
  for (const std::string c : {"decode0", "decode1"}) {
    const auto& z = ref.at(c + "_z");
    // The decoder input is the UNet-space latent divided by the scale factor.
    test::check_close(c + " z convention", ref.at(c + "_latent_unet_space") / model->config().scale_factor, z, 1e-5);
    test::check_close(c + "_image", model->decode(z), ref.at(c + "_image"));
  }
}

TEST_CASE("vae: tiny SD1.5 encode matches the reference (64×64 and 48×64 images)", "[vae][parity]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto model = load_tiny();
  auto ref = cases();
  for (const std::string c : {"encode0", "encode1"}) {
    auto moments = model->encode_moments(ref.at(c + "_image"));
    test::check_close(c + "_moments", moments, ref.at(c + "_moments"));
    auto post = AutoencoderKLImpl::split_moments(moments);
    test::check_close(c + "_mean", post.mean, ref.at(c + "_mean"));
    test::check_close(c + "_logvar", post.logvar, ref.at(c + "_logvar"));
    test::check_close(c + "_std", post.std, ref.at(c + "_std"));
    test::check_close(c + "_latent_unet_space_mode", post.mean * model->config().scale_factor,
                      ref.at(c + "_latent_unet_space_mode"));
  }
}

TEST_CASE("vae: split_moments clamps logvar to [-30, 20]", "[vae]") {
  c10::InferenceMode guard;
  auto moments = torch::zeros({1, 8, 1, 2});
  moments.index_put_({0, 4, 0, 0}, -100.0);
  moments.index_put_({0, 4, 0, 1}, 50.0);
  moments.index_put_({0, 5, 0, 0}, 1.0);
  moments.index_put_({0, 0, 0, 1}, 3.0);
  auto p = AutoencoderKLImpl::split_moments(moments);
  REQUIRE(p.mean.sizes() == torch::IntArrayRef({1, 4, 1, 2}));
  CHECK(p.mean.index({0, 0, 0, 1}).item<float>() == 3.0f);
  CHECK(p.logvar.index({0, 0, 0, 0}).item<float>() == -30.0f);
  CHECK(p.logvar.index({0, 0, 0, 1}).item<float>() == 20.0f);
  CHECK(p.std.index({0, 1, 0, 0}).item<float>() == Approx(std::exp(0.5)));
  CHECK(p.std.index({0, 0, 0, 1}).item<float>() == Approx(std::exp(10.0)));
}

TEST_CASE("vae: chunked mid attention equals the one-shot computation", "[vae]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto model = load_tiny();
  auto ref = cases();
  const auto& z = ref.at("decode1_z");  // 16×12 = 192 tokens at the mid block
  auto one_shot = model->decode(z);
  model->decoder->mid->attn_1->max_score_elements_ = 192 * 50;  // 4 chunks, the last one partial
  auto chunked = model->decode(z);
  test::check_close("chunked attention decode", chunked, one_shot, 1e-5);
  test::check_close("chunked attention decode vs reference", chunked, ref.at("decode1_image"));
}

TEST_CASE("vae: bf16 weights decode in bf16 close to fp32", "[vae][bf16]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto model = load_tiny(torch::kBFloat16);
  auto ref = cases();
  for (const std::string c : {"decode0", "decode1"}) {
    auto image = model->decode(ref.at(c + "_z"));
    CHECK(image.scalar_type() == torch::kBFloat16);
    // Mostly the weights' own bf16 rounding (8 mantissa bits): mean |diff| is ~10× smaller.
    const auto& expected = ref.at(c + "_image");
    const double slack = test::bf16_slack();
    test::check_close("bf16 " + c + "_image", image, expected, slack * std::max(5e-2, 2.5e-2 * test::max_abs(expected)));
    CHECK((image.to(torch::kFloat32) - expected).abs().mean().item<double>() < slack * 1e-2);
  }
  auto moments = model->encode_moments(ref.at("encode0_image"));
  CHECK(moments.scalar_type() == torch::kBFloat16);
  auto posterior = AutoencoderKLImpl::split_moments(moments);
  CHECK(posterior.mean.scalar_type() == torch::kFloat32);
  CHECK(posterior.std.scalar_type() == torch::kFloat32);
  test::check_close("bf16 encode0_mean", posterior.mean, ref.at("encode0_mean"), test::bf16_slack() * 5e-2);
}

TEST_CASE("vae: full-size SD1.5 VAE has exactly the checkpoint's names and shapes", "[vae][manifest]") {
  REQUIRE_REFERENCE();
  auto manifest = test::read_json(test::reference_dir() / "manifests/sd15.json");
  AutoencoderKL model(VAEConfig{}, torch::TensorOptions().device(torch::kMeta));
  CHECK(model->decoder->conv_out->weight.device().is_meta());
  CHECK(model->named_buffers(true).is_empty());
  test::check_against_manifest(*model, manifest, kPrefix, {});
}

TEST_CASE("vae: decode rejects a latent with the wrong channel count", "[vae]") {
  c10::InferenceMode guard;
  VAEConfig config = tiny_config();
  AutoencoderKL model(config, torch::TensorOptions());
  CHECK_THROWS(model->decode(torch::zeros({1, 3, 8, 8})));
  CHECK_THROWS(model->encode_moments(torch::zeros({1, 4, 64, 64})));
}
