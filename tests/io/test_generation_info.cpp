// A1111 parameters text and the Strata JSON chunk.
#include <catch2/catch.hpp>

#include "io_test_util.h"
#include "strata/io/generation_info.h"

using namespace strata;
using namespace strata::io;
using doc::ErrorCode;

namespace {

GenerationInfo full_info() {
  GenerationInfo info;
  info.generator = "Strata 0.1.0";
  info.prompt = "a watercolor fox, (autumn forest:1.2)\nsoft light";
  info.negative_prompt = "blurry, lowres";
  info.steps = 20;
  info.sampler = "euler_a";
  info.schedule = "karras";
  info.cfg_scale = 7.5;
  info.seed = 42;
  info.width = 512;
  info.height = 768;
  info.model_name = "v1-5-pruned-emaonly";
  info.model_hash = "6ce0161689";
  info.clip_skip = 2;
  info.strength = 0.75;
  info.steps_run = 15;
  info.start_sigma = 3.25;
  info.batch_size = 4;
  info.batch_index = 1;
  info.extra = {{"Mask blur", "4"}, {"Lora hashes", "detail: 7c6bad76eb54, style: 3b8aa1d351ef"}, {"Note", "say \"hi\""}};
  return info;
}

}  // namespace

TEST_CASE("format_a1111_parameters writes A1111's layout and quoting", "[io][a1111]") {
  CHECK(format_a1111_parameters(full_info()) ==
        "a watercolor fox, (autumn forest:1.2)\nsoft light\n"
        "Negative prompt: blurry, lowres\n"
        "Steps: 20, Sampler: Euler a, Schedule type: Karras, CFG scale: 7.5, Seed: 42, Size: 512x768, "
        "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: 0.75, Clip skip: 2, "
        "Batch size: 4, Batch pos: 1, Steps run: 15, Start sigma: 3.25, Mask blur: 4, "
        "Lora hashes: \"detail: 7c6bad76eb54, style: 3b8aa1d351ef\", Note: say \"hi\"");

  GenerationInfo minimal;
  minimal.prompt = "cat";
  minimal.steps = 30;
  minimal.cfg_scale = 7.0;
  minimal.sampler = "dpmpp_2m";
  CHECK(format_a1111_parameters(minimal) == "cat\nSteps: 30, Sampler: DPM++ 2M, CFG scale: 7");
  minimal.sampler = "my_custom_sampler";  // unknown ids are written verbatim
  CHECK(format_a1111_parameters(minimal) == "cat\nSteps: 30, Sampler: my_custom_sampler, CFG scale: 7");
}

TEST_CASE("A1111 text round-trips through format and parse", "[io][a1111]") {
  GenerationInfo info = full_info();
  GenerationInfo back = parse_a1111_parameters(format_a1111_parameters(info));
  info.generator = "AUTOMATIC1111-compatible";  // the A1111 text does not carry Strata's generator
  CHECK(back == info);

  GenerationInfo tricky;
  tricky.generator = "AUTOMATIC1111-compatible";
  tricky.prompt = "line one\nline two: with colon, and comma";
  tricky.steps = 1;
  tricky.seed = 18446744073709551615ull;
  tricky.model_name = "model, with: punctuation \"and quotes\" \xE6\x97\xA5\xE6\x9C\xAC";
  tricky.extra = {{"Quoted", "\"already quoted\""}, {"Multi line", "a\nb"}};
  CHECK(parse_a1111_parameters(format_a1111_parameters(tricky)) == tricky);
}

TEST_CASE("parse_a1111_parameters reads real A1111 output", "[io][a1111]") {
  const char* text =
      "masterpiece, best quality, 1girl, (blue eyes:1.2),\n"
      "looking at viewer, <lora:add_detail:0.6>\n"
      "Negative prompt: lowres, bad anatomy, (worst quality:1.4)\n"
      "EasyNegative\n"
      "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567890, Size: 512x768, "
      "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: 0.45, Clip skip: 2, "
      "Hires upscale: 2, Hires upscaler: Latent, Lora hashes: \"add_detail: 7c6bad76eb54\", "
      "TI hashes: \"EasyNegative: c74b4e810b03\", Version: v1.10.1";
  auto info = parse_a1111_parameters(text);
  CHECK(info.generator == "AUTOMATIC1111 v1.10.1");
  CHECK(info.prompt == "masterpiece, best quality, 1girl, (blue eyes:1.2),\nlooking at viewer, <lora:add_detail:0.6>");
  CHECK(info.negative_prompt == "lowres, bad anatomy, (worst quality:1.4)\nEasyNegative");
  CHECK(info.steps == 28);
  CHECK(info.sampler == "dpmpp_2m");
  CHECK(info.schedule == "karras");
  CHECK(info.cfg_scale == 7.0);
  CHECK(info.seed == 1234567890u);
  CHECK(info.width == 512);
  CHECK(info.height == 768);
  CHECK(info.model_hash == "6ce0161689");
  CHECK(info.model_name == "v1-5-pruned-emaonly");
  CHECK(info.strength == 0.45);
  CHECK(info.clip_skip == 2);
  REQUIRE(info.find_extra("Lora hashes"));
  CHECK(*info.find_extra("Lora hashes") == "add_detail: 7c6bad76eb54");
  CHECK(*info.find_extra("TI hashes") == "EasyNegative: c74b4e810b03");
  CHECK(*info.find_extra("Hires upscaler") == "Latent");
  CHECK(*info.find_extra("Version") == "v1.10.1");
}

TEST_CASE("parse_a1111_parameters is robust to partial and odd input", "[io][a1111]") {
  SECTION("no negative prompt, CRLF line ends, surrounding blank lines") {
    auto info = parse_a1111_parameters("\r\n  a red car \r\nSteps: 10, Seed: 5, Sampler: Euler\r\n\n");
    CHECK(info.prompt == "a red car");
    CHECK(info.negative_prompt.empty());
    CHECK(info.steps == 10);
    CHECK(info.seed == 5u);
    CHECK(info.sampler == "euler");
  }
  SECTION("fewer than three parameters: the last line is prompt") {
    auto info = parse_a1111_parameters("a cat\nStyle: cute, Mood: calm");
    CHECK(info.prompt == "a cat\nStyle: cute, Mood: calm");
    CHECK(info.extra.empty());
  }
  SECTION("only a negative prompt") {
    auto info = parse_a1111_parameters("Negative prompt: ugly\nSteps: 5, CFG scale: 4.5, Seed: 9");
    CHECK(info.prompt.empty());
    CHECK(info.negative_prompt == "ugly");
    CHECK(info.cfg_scale == 4.5);
  }
  SECTION("empty text and prompt only") {
    CHECK(parse_a1111_parameters("").prompt.empty());
    CHECK(parse_a1111_parameters("just words").prompt == "just words");
  }
  SECTION("bad numbers are kept as extras; empty values are skipped like A1111 does") {
    auto info = parse_a1111_parameters("p\nSteps: many, Seed: -1, Size: big, Model: , CFG scale: 6");
    CHECK(!info.steps);
    CHECK(*info.find_extra("Steps") == "many");
    CHECK(*info.find_extra("Seed") == "-1");
    CHECK(*info.find_extra("Size") == "big");
    CHECK(info.model_name.empty());
    CHECK(info.find_extra("Model") == nullptr);
    CHECK(info.cfg_scale == 6.0);
  }
  SECTION("legacy sampler names carry the schedule; sd.cpp style ids") {
    auto old = parse_a1111_parameters("p\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7");
    CHECK(old.sampler == "dpmpp_2m");
    CHECK(old.schedule == "karras");
    auto explicit_schedule = parse_a1111_parameters("p\nSteps: 20, Sampler: DPM++ 2M Karras, Schedule type: Uniform");
    CHECK(explicit_schedule.schedule == "uniform");
    auto sdcpp = parse_a1111_parameters("p\nSteps: 20, CFG scale: 7, Seed: 3, Sampler: euler_a karras");
    CHECK(sdcpp.sampler == "euler_a");
    CHECK(sdcpp.schedule == "karras");
    auto forge = parse_a1111_parameters("p\nSteps: 20, Sampler: Euler, Seed: 3, Version: f2.0.1v1.10.1-previous-313");
    CHECK(forge.generator == "Forge f2.0.1v1.10.1-previous-313");
  }
  SECTION("broken quoting falls back to the raw value") {
    auto info = parse_a1111_parameters("p\nSteps: 2, Note: \"unterminated, Seed: 4, Other: \"x\"y, CFG scale: 3");
    CHECK(info.steps == 2);
    CHECK(*info.find_extra("Note") == "\"unterminated");
    CHECK(info.seed == 4u);
    CHECK(*info.find_extra("Other") == "\"x\"y");
  }
}

TEST_CASE("Sampler and schedule names map both ways", "[io][a1111]") {
  const std::pair<const char*, const char*> samplers[] = {
      {"Euler a", "euler_a"}, {"Euler", "euler"}, {"DPM++ 2M", "dpmpp_2m"}, {"DDIM", "ddim"},
      {"LMS", "lms"},         {"Heun", "heun"},   {"DDPM", "ddpm"},         {"PLMS", "pndm"}};
  for (auto [display, id] : samplers) {
    CHECK(sampler_id_from_a1111(display) == std::optional<std::string>(id));
    CHECK(a1111_sampler_name(id) == std::optional<std::string>(display));
  }
  CHECK(sampler_id_from_a1111("euler A") == std::optional<std::string>("euler_a"));  // case-insensitive
  CHECK(!sampler_id_from_a1111("Warp drive"));
  CHECK(!a1111_sampler_name("warp"));
  CHECK(schedule_id_from_a1111("SGM Uniform") == std::optional<std::string>("sgm_uniform"));
  CHECK(a1111_schedule_name("karras") == std::optional<std::string>("Karras"));
}

TEST_CASE("Strata JSON round-trips every field", "[io][strata_json]") {
  GenerationInfo info = full_info();
  info.seed = 18446744073709551615ull;
  info.extra.emplace_back("Mask blur", "8");  // duplicate keys and order survive
  const std::string json = to_json(info);
  CHECK(json.find("\"schema\":\"strata.generation\"") != std::string::npos);
  CHECK(json.find("\"version\":1") != std::string::npos);
  CHECK(from_json(json) == info);
  GenerationInfo empty;
  CHECK(from_json(to_json(empty)) == empty);
}

TEST_CASE("from_json reports malformed Strata metadata", "[io][strata_json]") {
  REQUIRE_STRATA_ERROR(from_json("{not json", "x.png"), ErrorCode::CorruptFile, "x.png: strata metadata is not valid JSON");
  REQUIRE_STRATA_ERROR(from_json("[1,2]", "x.png"), ErrorCode::CorruptFile, "expected a JSON object");
  REQUIRE_STRATA_ERROR(from_json(R"({"steps":"20"})", "x.png"), ErrorCode::CorruptFile, "member 'steps' is string, expected an integer");
  REQUIRE_STRATA_ERROR(from_json(R"({"seed":-1})", "x.png"), ErrorCode::CorruptFile, "member 'seed'");
  REQUIRE_STRATA_ERROR(from_json(R"({"schema":"other"})", "x.png"), ErrorCode::CorruptFile, "expected 'strata.generation'");
  REQUIRE_STRATA_ERROR(from_json(R"({"extra":[["k"]]})", "x.png"), ErrorCode::CorruptFile, "[key, value] pair");
  // Unknown members and a newer version are tolerated.
  auto info = from_json(R"({"schema":"strata.generation","version":2,"prompt":"p","future":{"x":1}})");
  CHECK(info.prompt == "p");
}

namespace {

GenerationInfo sdxl_info() {
  GenerationInfo info;
  info.prompt = "a lighthouse";
  info.steps = 30;
  info.seed = 7;
  info.width = 1024;
  info.height = 768;
  info.model_name = "sd_xl_refiner_1.0";
  info.model_family = "SDXL";
  info.prediction = "epsilon";
  info.original_size = PixelSize{2048, 1536};
  info.crop_top_left = PixelOffset{64, 32};
  info.target_size = PixelSize{1024, 768};
  info.aesthetic_score = 6.5;
  info.negative_aesthetic_score = 2.5;
  return info;
}

}  // namespace

TEST_CASE("SDXL fields: Strata's A1111 keys, written and read back", "[io][a1111][sdxl]") {
  const GenerationInfo info = sdxl_info();
  CHECK(format_a1111_parameters(info) ==
        "a lighthouse\nSteps: 30, Seed: 7, Size: 1024x768, Model: sd_xl_refiner_1.0, Model family: SDXL, "
        "Prediction: epsilon, Original size: 2048x1536, Crop top-left: 64x32, Target size: 1024x768, "
        "Aesthetic score: 6.5, Negative aesthetic score: 2.5");
  GenerationInfo back = parse_a1111_parameters(format_a1111_parameters(info));
  CHECK(back.extra.empty());
  back.generator = info.generator;
  CHECK(back == info);

  // Other spellings of family and prediction; malformed sizes stay in `extra`.
  auto odd = parse_a1111_parameters("cat\nSteps: 4, Model family: sdxl, Prediction: v_prediction, Original size: 1024 x"
                                    ", Crop top-left: -1x0, Aesthetic score: high");
  CHECK(odd.model_family == "SDXL");
  CHECK(odd.prediction == "v");
  CHECK_FALSE(odd.original_size);
  CHECK_FALSE(odd.crop_top_left);
  CHECK_FALSE(odd.aesthetic_score);
  CHECK(*odd.find_extra("Original size") == "1024 x");
  CHECK(*odd.find_extra("Crop top-left") == "-1x0");
  CHECK(*odd.find_extra("Aesthetic score") == "high");
}

TEST_CASE("SDXL fields in Strata JSON: members, round trip, errors", "[io][strata_json][sdxl]") {
  const GenerationInfo info = sdxl_info();
  const std::string json = to_json(info);
  CHECK(json.find(R"("model":{"name":"sd_xl_refiner_1.0","family":"SDXL","prediction":"epsilon"})") != std::string::npos);
  CHECK(json.find(R"("size_conditioning":{"original":{"width":2048,"height":1536},"crop":{"left":64,"top":32},)"
                  R"("target":{"width":1024,"height":768}})") != std::string::npos);
  CHECK(json.find(R"("aesthetic_score":6.5,"negative_aesthetic_score":2.5)") != std::string::npos);
  CHECK(from_json(json) == info);

  // Written by hand, partly: absent members are "not recorded".
  auto partial = from_json(R"({"prompt":"p","model":{"family":"SD2","prediction":"v"},
                               "size_conditioning":{"crop":{"left":0,"top":16}}})");
  CHECK(partial.model_family == "SD2");
  CHECK(partial.prediction == "v");
  CHECK_FALSE(partial.original_size);
  CHECK(partial.crop_top_left == PixelOffset{0, 16});
  CHECK_FALSE(partial.target_size);
  CHECK_FALSE(partial.aesthetic_score);
  // Older files (no SDXL members) read as before.
  CHECK(from_json(R"({"prompt":"p","model":{"name":"m"}})").model_family.empty());

  REQUIRE_STRATA_ERROR(from_json(R"({"size_conditioning":{"original":{"width":1024}}})", "x.png"), ErrorCode::CorruptFile,
                       "member 'original' needs 'width' and 'height'");
  REQUIRE_STRATA_ERROR(from_json(R"({"size_conditioning":[1024,1024]})", "x.png"), ErrorCode::CorruptFile,
                       "member 'size_conditioning' is array, expected an object");
  REQUIRE_STRATA_ERROR(from_json(R"({"aesthetic_score":"6"})", "x.png"), ErrorCode::CorruptFile,
                       "member 'aesthetic_score' is string, expected a number");
}

TEST_CASE("Model family and prediction names are normalised", "[io][sdxl]") {
  CHECK(normalise_model_family("sd-1") == "SD1");
  CHECK(normalise_model_family("SD 1.5") == "SD1");
  CHECK(normalise_model_family("sd-2") == "SD2");
  CHECK(normalise_model_family("sdxl") == "SDXL");
  CHECK(normalise_model_family("sdxl-refiner") == "SDXL");
  CHECK(normalise_model_family("SDXL") == "SDXL");
  CHECK(normalise_model_family(" flux ") == "flux");
  CHECK(normalise_model_family("sd-3") == "sd-3");
  CHECK(normalise_prediction("eps") == "epsilon");
  CHECK(normalise_prediction("epsilon") == "epsilon");
  CHECK(normalise_prediction("v_prediction") == "v");
  CHECK(normalise_prediction("V") == "v");
  CHECK(normalise_prediction("flow") == "flow");
}
