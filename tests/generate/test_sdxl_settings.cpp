// SDXL settings through generate: build_request carries size conditioning, aesthetic scores and
// VAE tiling into the request; describe records family, prediction and (for SDXL) the effective
// conditioning; record_settings keeps what the user chose.
#include <catch2/catch.hpp>

#include <limits>

#include "strata/doc/error.h"
#include "strata/generate/request.h"

using namespace strata;
using generate::GenerationSettings;

namespace {

GenerationSettings sdxl_settings() {
  GenerationSettings s;
  s.prompt = "a lighthouse";
  s.size_conditioning.original_width = 2048;  // original height left at 0: the generated height
  s.size_conditioning.crop_left = 64;
  s.size_conditioning.crop_top = 32;
  s.aesthetic_score = 7.0;
  s.negative_aesthetic_score = 2.0;
  s.vae_tiling = generate::VaeTiling::Off;
  return s;
}

generate::Request request_of(const GenerationSettings& s, int w = 128, int h = 96) {
  generate::ImageInputs in;
  in.width = w;
  in.height = h;
  return generate::build_request(in, s);
}

diffusion::GeneratedImage image_of(int w, int h) {
  diffusion::GeneratedImage image;
  image.seed = 3;
  image.processed_width = w;
  image.processed_height = h;
  return image;
}

diffusion::ModelSummary model_of(diffusion::ModelFamily family, diffusion::Prediction prediction, std::string variant) {
  diffusion::ModelSummary m;
  m.name = "model.safetensors";
  m.config.family = family;
  m.config.prediction = prediction;
  m.config.variant = std::move(variant);
  return m;
}

}  // namespace

TEST_CASE("build_request carries the SDXL fields and VAE tiling", "[generate][sdxl]") {
  const generate::Request r = request_of(sdxl_settings());
  CHECK(r.diffusion.size_conditioning.original_width == 2048);
  CHECK(r.diffusion.size_conditioning.original_height == 0);
  CHECK(r.diffusion.size_conditioning.crop_left == 64);
  CHECK(r.diffusion.size_conditioning.crop_top == 32);
  CHECK(r.diffusion.aesthetic_score == 7.0);
  CHECK(r.diffusion.negative_aesthetic_score == 2.0);
  CHECK(r.diffusion.vae_tiling == diffusion::VaeTiling::Off);

  GenerationSettings bad = sdxl_settings();
  bad.size_conditioning.target_height = -8;
  CHECK_THROWS_WITH(request_of(bad), Catch::Contains("target height -8 outside 0..16384"));
  bad = sdxl_settings();
  bad.aesthetic_score = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(request_of(bad), Catch::Contains("aesthetic scores must be finite"));
}

TEST_CASE("describe: family and prediction always, SDXL conditioning resolved to the processed size", "[generate][sdxl]") {
  const generate::Request r = request_of(sdxl_settings());

  SECTION("SD1: no SDXL fields, even when set") {
    auto info = generate::describe(r, image_of(128, 96), model_of(diffusion::ModelFamily::SD1, diffusion::Prediction::Epsilon, "txt2img"), "", 0);
    CHECK(info.model_family == "SD1");
    CHECK(info.prediction == "epsilon");
    CHECK_FALSE(info.original_size);
    CHECK_FALSE(info.crop_top_left);
    CHECK_FALSE(info.target_size);
    CHECK_FALSE(info.aesthetic_score);
    REQUIRE(info.find_extra("VAE tiling"));
    CHECK(*info.find_extra("VAE tiling") == "off");
    CHECK_FALSE(info.find_extra("Model family"));  // a typed field now
  }
  SECTION("SD2 v-prediction") {
    auto info = generate::describe(r, image_of(128, 96), model_of(diffusion::ModelFamily::SD2, diffusion::Prediction::VPrediction, "txt2img"), "", 0);
    CHECK(info.model_family == "SD2");
    CHECK(info.prediction == "v");
    CHECK_FALSE(info.original_size);
  }
  SECTION("SDXL base: zeros become the processed size, no aesthetic scores") {
    // Scale before processing generated at 256x192 for a 128x96 request.
    auto info = generate::describe(r, image_of(256, 192), model_of(diffusion::ModelFamily::SDXL, diffusion::Prediction::Epsilon, "base"), "", 0);
    CHECK(info.model_family == "SDXL");
    CHECK(info.original_size == io::PixelSize{2048, 192});
    CHECK(info.crop_top_left == io::PixelOffset{64, 32});
    CHECK(info.target_size == io::PixelSize{256, 192});
    CHECK_FALSE(info.aesthetic_score);
    CHECK_FALSE(info.negative_aesthetic_score);
    const std::string text = io::format_a1111_parameters(info);
    CHECK(text.find("Model family: SDXL, Prediction: epsilon, Original size: 2048x192, Crop top-left: 64x32, "
                    "Target size: 256x192") != std::string::npos);
  }
  SECTION("SDXL refiner: aesthetic scores too") {
    auto info = generate::describe(r, image_of(128, 96), model_of(diffusion::ModelFamily::SDXL, diffusion::Prediction::Epsilon, "refiner"), "", 0);
    CHECK(info.original_size == io::PixelSize{2048, 96});
    CHECK_FALSE(info.target_size);  // the refiner is not conditioned on a target size
    CHECK(info.aesthetic_score == 7.0);
    CHECK(info.negative_aesthetic_score == 2.0);
  }
}

TEST_CASE("record_settings keeps the SDXL values the user set and clears defaults", "[generate][sdxl]") {
  io::GenerationInfo into = generate::record_settings(sdxl_settings());
  CHECK(into.original_size == io::PixelSize{2048, 0});  // 0 = the size generated
  CHECK(into.crop_top_left == io::PixelOffset{64, 32});
  CHECK_FALSE(into.target_size);
  CHECK(into.aesthetic_score == 7.0);
  CHECK(into.negative_aesthetic_score == 2.0);

  GenerationSettings defaults;
  const io::GenerationInfo cleared = generate::record_settings(defaults, into);
  CHECK_FALSE(cleared.original_size);
  CHECK_FALSE(cleared.crop_top_left);
  CHECK_FALSE(cleared.aesthetic_score);
  CHECK_FALSE(cleared.negative_aesthetic_score);
}
