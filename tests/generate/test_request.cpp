// generate::build_request / describe / record_settings: the one path from settings and a document
// or images to a diffusion request, and back to metadata.
#include <catch2/catch.hpp>

#include "strata/doc/commands.h"
#include "strata/doc/error.h"
#include "strata/generate/request.h"

using namespace strata;
using generate::GenerationSettings;

namespace {

GenerationSettings settings() {
  GenerationSettings s;
  s.prompt = "a red barn";
  s.negative_prompt = "blurry";
  s.seed = 7;
  s.steps = 10;
  s.cfg_scale = 6.5f;
  s.sampler = doc::SamplerKind::DPMPP2M;
  s.schedule = doc::ScheduleKind::Karras;
  s.batch_count = 2;
  s.mask_blur = 0;
  return s;
}

doc::Image8 rgba(int w, int h, std::uint8_t alpha) {
  doc::Image8 img(w, h, 4, 100);
  for (std::size_t i = 3; i < img.pixels.size(); i += 4) img.pixels[i] = alpha;
  return img;
}

}  // namespace

TEST_CASE("build_request: an empty bbox is txt2img at the bbox size, settings carried over", "[generate]") {
  doc::Document d;
  doc::History h(d);
  h.push(std::make_unique<doc::SetBBox>(doc::Rect{-64, 32, 192, 128}));
  const generate::Request r = generate::build_request(d, d.bbox(), settings());
  CHECK(r.diffusion.width == 192);
  CHECK(r.diffusion.height == 128);
  CHECK_FALSE(r.diffusion.init_image);
  CHECK_FALSE(r.diffusion.strength_map);
  CHECK(r.diffusion.prompt == "a red barn");
  CHECK(r.diffusion.negative_prompt == "blurry");
  CHECK(r.diffusion.sampler == doc::SamplerKind::DPMPP2M);
  CHECK(r.diffusion.schedule == doc::ScheduleKind::Karras);
  CHECK(r.diffusion.seed == 7);
  CHECK(r.diffusion.batch_count == 2);
  CHECK(r.diffusion.cfg_scale == 6.5f);
  REQUIRE(r.bbox);
  CHECK(*r.bbox == doc::Rect{-64, 32, 192, 128});
}

TEST_CASE("build_request: layer strengths become the strength map, transparent pixels are infilled", "[generate]") {
  doc::Document d;
  doc::History h(d);
  h.push(std::make_unique<doc::SetBBox>(doc::Rect{0, 0, 64, 64}));
  const doc::LayerId photo = h.push(doc::AddLayer::raster("photo", rgba(32, 64, 255), 0, 0)).id();
  h.push(doc::set_strength(photo, 0.0f));
  GenerationSettings s = settings();
  s.infill = doc::parse_named(io::kInfillMethods, "solid", "infill");
  const generate::Request r = generate::build_request(d, d.bbox(), s);
  REQUIRE(r.diffusion.init_image);
  REQUIRE(r.diffusion.strength_map);
  CHECK(r.diffusion.strength_map->at(10, 10) == 0.0f);  // the photo: kept
  CHECK(r.diffusion.strength_map->at(50, 10) == 1.0f);  // empty canvas: generated
  CHECK(r.diffusion.init_image->at(10, 10, 0) == 100);
  CHECK(r.diffusion.init_image->at(50, 10, 0) == 127);  // solid infill, mid grey
}

TEST_CASE("build_request: a template is applied, the user's text kept for metadata", "[generate]") {
  doc::Document d;
  GenerationSettings s = settings();
  s.style = io::PromptTemplate{"Watercolour", "{prompt}, watercolour", "photo"};
  const generate::Request r = generate::build_request(d, d.bbox(), s);
  CHECK(r.diffusion.prompt == "a red barn, watercolour");
  CHECK(r.diffusion.negative_prompt == "blurry photo");  // InvokeAI joins with a space
  CHECK(r.settings.prompt == "a red barn");
  CHECK(generate::final_prompts(s).positive == r.diffusion.prompt);
}

TEST_CASE("build_request refuses what the pipeline would refuse, naming it", "[generate]") {
  doc::Document d;
  GenerationSettings s = settings();
  s.steps = 0;
  CHECK_THROWS_WITH(generate::build_request(d, d.bbox(), s), Catch::Contains("steps 0"));
  s = settings();
  s.seed = -1;
  CHECK_THROWS_WITH(generate::build_request(d, d.bbox(), s), Catch::Contains("seed -1"));
}

TEST_CASE("build_request from images: masks, strength maps and transparency", "[generate]") {
  generate::ImageInputs in;
  in.width = in.height = 64;
  GenerationSettings s = settings();
  s.strength = 0.5;

  SECTION("no init image: txt2img at strength 1") {
    const auto r = generate::build_request(in, s).diffusion;
    CHECK_FALSE(r.init_image);
    CHECK(r.strength == 1.0);
  }
  SECTION("a mask repaints white at the strength, keeps black") {
    in.init = doc::Image8(64, 64, 3, 90);
    in.mask = doc::Image8(64, 64, 1, 0);
    for (int y = 0; y < 64; ++y) in.mask->at(40, y, 0) = 255;
    const auto r = generate::build_request(in, s).diffusion;
    REQUIRE(r.strength_map);
    CHECK(r.strength_map->at(40, 5) == 0.5f);
    CHECK(r.strength_map->at(5, 5) == 0.0f);
    CHECK(r.init_image->channels == 3);
  }
  SECTION("transparent init pixels are generated at strength 1 and infilled") {
    in.init = rgba(64, 64, 255);
    for (int y = 0; y < 64; ++y) in.init->at(63, y, 3) = 0;
    const auto r = generate::build_request(in, s).diffusion;
    REQUIRE(r.strength_map);
    CHECK(r.strength_map->at(63, 0) == 1.0f);
    CHECK(r.strength_map->at(0, 0) == 0.5f);
    CHECK(r.init_image->channels == 3);
  }
  SECTION("a grey init image becomes RGB") {
    in.init = doc::Image8(64, 64, 1, 33);
    const auto r = generate::build_request(in, s).diffusion;
    CHECK(r.init_image->at(3, 3, 2) == 33);
    CHECK(r.strength == 0.5);
  }
  SECTION("errors name the culprit") {
    in.mask = doc::Image8(64, 64, 1, 0);
    CHECK_THROWS_WITH(generate::build_request(in, s), Catch::Contains("needs an init image"));
    in.init = doc::Image8(64, 64, 3, 0);
    in.strength_map = doc::Image8(64, 64, 1, 0);
    CHECK_THROWS_WITH(generate::build_request(in, s), Catch::Contains("exclude each other"));
    in.strength_map.reset();
    in.mask = doc::Image8(32, 64, 1, 0);
    CHECK_THROWS_WITH(generate::build_request(in, s), Catch::Contains("the mask is 32x64, expected 64x64"));
  }
}

TEST_CASE("describe: one metadata builder for the CLI and the canvas", "[generate]") {
  doc::Document d;
  doc::History h(d);
  h.push(std::make_unique<doc::SetBBox>(doc::Rect{16, 24, 64, 64}));
  GenerationSettings s = settings();
  s.clip_skip = 2;
  s.style = io::PromptTemplate{"Ink", "{prompt}, ink", ""};
  const generate::Request request = generate::build_request(d, d.bbox(), s);
  diffusion::GeneratedImage image;
  image.seed = 8;
  image.steps_run = 10;
  image.start_sigma = 14.6;
  image.processed_width = 64;
  image.processed_height = 64;
  diffusion::ModelSummary model;
  model.name = "model.safetensors";
  const io::GenerationInfo info = generate::describe(request, image, model, "0123456789", 1);
  CHECK(info.prompt == "a red barn, ink");
  CHECK(info.sampler == "dpmpp_2m");
  CHECK(info.schedule == "karras");
  CHECK(info.cfg_scale == 6.5);
  CHECK(info.seed == 8u);
  CHECK(info.width == 64);
  CHECK(info.clip_skip == 2);
  CHECK_FALSE(info.strength);  // txt2img
  CHECK(info.batch_size == 2);
  CHECK(info.batch_index == 1);
  CHECK(info.model_hash == "0123456789");
  REQUIRE(info.find_extra("Template"));
  CHECK(*info.find_extra("Template") == "Ink");
  CHECK(*info.find_extra("User prompt") == "a red barn");
  CHECK(*info.find_extra("Canvas origin") == "16 24");
  CHECK(*info.find_extra("Strength convention") == "diffusers");
  CHECK_FALSE(info.find_extra("Processed at"));

  generate::ImageInputs in;
  in.width = in.height = 64;
  const generate::Request plain = generate::build_request(in, settings());
  const io::GenerationInfo p = generate::describe(plain, image, model, "", 0);
  CHECK_FALSE(p.find_extra("Canvas origin"));
  CHECK_FALSE(p.find_extra("Template"));
  CHECK_FALSE(p.clip_skip);  // 1 is A1111's default and is not written
}

TEST_CASE("record_settings keeps what a project remembers and the rest of `into`", "[generate]") {
  io::GenerationInfo into;
  into.width = 512;
  const io::GenerationInfo r = generate::record_settings(settings(), into);
  CHECK(r.prompt == "a red barn");
  CHECK(r.negative_prompt == "blurry");
  CHECK(r.seed == 7u);
  CHECK(r.steps == 10);
  CHECK(r.cfg_scale == 6.5);
  CHECK(r.sampler == "dpmpp_2m");
  CHECK(r.schedule == "karras");
  CHECK(r.batch_size == 2);
  CHECK(r.width == 512);
}

TEST_CASE("colour match: on by default, carried into the request and recorded with a strength map", "[generate]") {
  doc::Document d;
  doc::History h(d);
  h.push(std::make_unique<doc::SetBBox>(doc::Rect{0, 0, 64, 64}));
  h.push(doc::AddLayer::raster("photo", doc::Image8(32, 64, 4, 255), 0, 0));  // right half empty: outpainting
  CHECK(GenerationSettings{}.color_match);
  diffusion::GeneratedImage image;
  diffusion::ModelSummary model;
  for (const bool on : {true, false}) {
    GenerationSettings s = settings();
    s.color_match = on;
    const generate::Request r = generate::build_request(d, d.bbox(), s);
    CHECK(r.diffusion.color_match == on);
    REQUIRE(r.diffusion.strength_map);
    const io::GenerationInfo info = generate::describe(r, image, model, "", 0);
    REQUIRE(info.find_extra("Colour match"));
    CHECK(*info.find_extra("Colour match") == (on ? "on" : "off"));
  }
  generate::ImageInputs in;
  in.width = in.height = 64;
  const io::GenerationInfo txt = generate::describe(generate::build_request(in, settings()), image, model, "", 0);
  CHECK_FALSE(txt.find_extra("Colour match"));  // no init image, no seam: nothing to record
}
