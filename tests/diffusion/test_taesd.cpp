// TAESD: parity with taesd.py (random-weight kit: identical architecture and key set to the real
// taesd/taesdxl files) for both decode cases and the encode case, key layout, bf16.
#include <catch2/catch.hpp>

#include "network_test_support.h"
#include "networks/taesd.h"

using namespace strata;
using diffusion::TAESDConfig;
using diffusion::TAESDDecoder;
using diffusion::TAESDEncoder;

namespace {

std::filesystem::path taesd_dir() { return test::reference_dir() / "taesd"; }

template <typename Module>
Module load(const std::string& file, torch::ScalarType dtype = torch::kFloat32) {
  Module model(TAESDConfig{}, torch::TensorOptions().dtype(dtype));
  auto index = diffusion::TensorIndex::open(taesd_dir() / file);
  test::load_parameters(*model, index, "");
  return model;
}

std::map<std::string, torch::Tensor> cases() { return diffusion::load_all(taesd_dir() / "cases.safetensors"); }

// index.json's key → shape list for one side, as a manifest-like {"tensors": …} object.
nlohmann::json index_keys(const std::string& side) {
  auto index = test::read_json(taesd_dir() / "index.json");
  return {{"tensors", index.at("variants").at("taesd_random").at(side + "_keys")}};
}

}  // namespace

TEST_CASE("taesd: decoder matches taesd.py (8×8 and 16×12 latents)", "[taesd][parity]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto decoder = load<TAESDDecoder>("taesd_random_decoder.safetensors");
  auto ref = cases();
  for (const std::string c : {"decode0", "decode1"}) {
    test::check_close(c + "_image", decoder->forward(ref.at(c + "_latent")), ref.at(c + "_image"));
  }
}

TEST_CASE("taesd: encoder matches taesd.py", "[taesd][parity]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto encoder = load<TAESDEncoder>("taesd_random_encoder.safetensors");
  auto ref = cases();
  test::check_close("encode0_latent", encoder->forward(ref.at("encode0_image")), ref.at("encode0_latent"));
}

TEST_CASE("taesd: the decoder clamps its input with tanh(x/3)·3", "[taesd]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto decoder = load<TAESDDecoder>("taesd_random_decoder.safetensors");
  // Far outside the clamp's linear range tanh saturates to exactly ±3 in fp32: without the clamp
  // the two outputs would differ by orders of magnitude, with it they are identical.
  auto sign = torch::sign(cases().at("decode0_latent"));
  test::check_close("clamp saturates", decoder->forward(sign * 50.0), decoder->forward(sign * 1e4), 0.0);
}

TEST_CASE("taesd: parameter names and shapes are taesd.py's state-dict keys", "[taesd][manifest]") {
  REQUIRE_REFERENCE();
  auto meta = torch::TensorOptions().device(torch::kMeta);
  TAESDEncoder encoder(TAESDConfig{}, meta);
  TAESDDecoder decoder(TAESDConfig{}, meta);
  test::check_against_manifest(*encoder, index_keys("encoder"), "", {});
  test::check_against_manifest(*decoder, index_keys("decoder"), "", {});
}

TEST_CASE("taesd: bf16 weights run in bf16 close to fp32", "[taesd][bf16]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  auto decoder = load<TAESDDecoder>("taesd_random_decoder.safetensors", torch::kBFloat16);
  auto encoder = load<TAESDEncoder>("taesd_random_encoder.safetensors", torch::kBFloat16);
  auto ref = cases();
  auto image = decoder->forward(ref.at("decode1_latent"));
  CHECK(image.scalar_type() == torch::kBFloat16);
  test::check_close("bf16 decode1_image", image, ref.at("decode1_image"), test::bf16_slack() * 5e-2);
  test::check_close("bf16 encode0_latent", encoder->forward(ref.at("encode0_image")), ref.at("encode0_latent"), test::bf16_slack() * 5e-2);
}
