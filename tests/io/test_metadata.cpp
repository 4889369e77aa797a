// Recognising metadata written by InvokeAI, ComfyUI, Fooocus, A1111 (PNG and JPEG) and Strata.
// Fixtures are written by hand following each tool's format (see metadata.h for the references).
#include <catch2/catch.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "io_test_util.h"
#include "reference.h"
#include "strata/io/image_codec.h"
#include "strata/io/metadata.h"

using namespace strata;
using namespace strata::io;
using test::ByteVec;

namespace {

const char* kInvokeAI = R"json({"generation_mode":"txt2img","positive_prompt":"a photo of an astronaut riding a horse",
 "negative_prompt":"blurry, lowres","width":768,"height":512,"seed":2819467091,"rand_device":"cpu","cfg_scale":7.5,
 "cfg_rescale_multiplier":0,"steps":30,"scheduler":"dpmpp_2m_k","clip_skip":0,
 "model":{"key":"e5c1ea7c-4b1f-4f9e-9d0a-2f0f3c1b9a11","hash":"blake3:7f1b2c","name":"Juggernaut XL v9","base":"sdxl","type":"main"},
 "loras":[{"model":{"key":"0d1f","hash":"blake3:aa","name":"add-detail-xl","base":"sdxl","type":"lora"},"weight":0.75}],
 "vae":{"key":"9a","name":"sdxl-vae-fp16-fix","base":"sdxl","type":"vae"},"seamless_x":false,"seamless_y":false,
 "app_version":"4.2.9"})json";

const char* kInvokeAILegacy = R"json({"model":"stable diffusion","model_id":"stable-diffusion-1.5",
 "model_hash":"cc6cb27103417325ff94f52b7a5d2dde45a7515b25c255d8e396c90014281516","app_id":"invoke-ai/InvokeAI",
 "app_version":"2.2.5","image":{"prompt":[{"prompt":"a castle on a hill [fog, people]","weight":1.0}],"steps":50,
 "cfg_scale":7.5,"threshold":0,"perlin":0,"height":512,"width":512,"seed":3357757885,"seamless":false,
 "hires_fix":false,"type":"txt2img","postprocessing":null,"sampler":"k_lms","variations":[]}})json";

// ComfyUI's default workflow in API format, with a LoRA and CLIPSetLastLayer added.
const char* kComfyPrompt = R"json({
 "3": {"inputs": {"seed": 156680208700286, "steps": 20, "cfg": 8, "sampler_name": "euler_ancestral", "scheduler": "karras",
        "denoise": 1, "model": ["10", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]},
       "class_type": "KSampler", "_meta": {"title": "KSampler"}},
 "4": {"inputs": {"ckpt_name": "v1-5-pruned-emaonly.safetensors"}, "class_type": "CheckpointLoaderSimple"},
 "5": {"inputs": {"width": 512, "height": 640, "batch_size": 2}, "class_type": "EmptyLatentImage"},
 "6": {"inputs": {"text": "beautiful scenery nature glass bottle landscape, purple galaxy bottle", "clip": ["11", 0]},
       "class_type": "CLIPTextEncode"},
 "7": {"inputs": {"text": "text, watermark", "clip": ["11", 0]}, "class_type": "CLIPTextEncode"},
 "8": {"inputs": {"samples": ["3", 0], "vae": ["4", 2]}, "class_type": "VAEDecode"},
 "9": {"inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}, "class_type": "SaveImage"},
 "10": {"inputs": {"lora_name": "add_detail.safetensors", "strength_model": 0.6, "strength_clip": 0.6,
        "model": ["4", 0], "clip": ["4", 1]}, "class_type": "LoraLoader"},
 "11": {"inputs": {"stop_at_clip_layer": -2, "clip": ["10", 1]}, "class_type": "CLIPSetLastLayer"}})json";

const char* kComfyWorkflow = R"json({"last_node_id": 7, "last_link_id": 6, "nodes": [
 {"id": 3, "type": "KSampler", "inputs": [{"name": "model", "type": "MODEL", "link": 1},
   {"name": "positive", "type": "CONDITIONING", "link": 4}, {"name": "negative", "type": "CONDITIONING", "link": 6},
   {"name": "latent_image", "type": "LATENT", "link": 2}], "widgets_values": [42, "randomize", 25, 6.5, "dpmpp_2m", "normal", 1]},
 {"id": 4, "type": "CheckpointLoaderSimple", "widgets_values": ["dreamshaper_8.safetensors"]},
 {"id": 5, "type": "EmptyLatentImage", "widgets_values": [768, 512, 1]},
 {"id": 6, "type": "CLIPTextEncode", "inputs": [{"name": "clip", "type": "CLIP", "link": 3}], "widgets_values": ["a lighthouse at dusk"]},
 {"id": 7, "type": "CLIPTextEncode", "inputs": [{"name": "clip", "type": "CLIP", "link": 5}], "widgets_values": ["people"]}],
 "links": [[1, 4, 0, 3, 0, "MODEL"], [2, 5, 0, 3, 3, "LATENT"], [3, 4, 1, 6, 0, "CLIP"], [4, 6, 0, 3, 1, "CONDITIONING"],
           [5, 4, 1, 7, 0, "CLIP"], [6, 7, 0, 3, 2, "CONDITIONING"]], "version": 0.4})json";

const char* kFooocus = R"json({"Prompt": "a cozy cabin", "Negative Prompt": "", "Styles": "['Fooocus V2', 'Fooocus Enhance']",
 "Performance": "Speed", "Steps": 30, "Resolution": "(1152, 896)", "Guidance Scale": 4, "Sharpness": 2,
 "Base Model": "juggernautXL_v8Rundiffusion.safetensors", "Sampler": "dpmpp_2m_sde_gpu", "Scheduler": "karras",
 "Seed": "1234", "Version": "Fooocus v2.5.5"})json";

}  // namespace

TEST_CASE("InvokeAI invokeai_metadata is recognised", "[io][metadata]") {
  auto info = extract_generation_metadata({{"invokeai_metadata", kInvokeAI}, {"invokeai_graph", "{}"}});
  REQUIRE(info);
  CHECK(info->generator == "InvokeAI 4.2.9");
  CHECK(info->prompt == "a photo of an astronaut riding a horse");
  CHECK(info->negative_prompt == "blurry, lowres");
  CHECK(info->seed == 2819467091u);
  CHECK(info->steps == 30);
  CHECK(info->cfg_scale == 7.5);
  CHECK(info->sampler == "dpmpp_2m");
  CHECK(info->schedule == "karras");
  CHECK(info->width == 768);
  CHECK(info->height == 512);
  CHECK(info->model_name == "Juggernaut XL v9");
  CHECK(info->model_hash == "blake3:7f1b2c");
  CHECK(*info->find_extra("LoRAs") == "add-detail-xl:0.75");
  CHECK(*info->find_extra("VAE") == "sdxl-vae-fp16-fix");
  CHECK(*info->find_extra("Generation mode") == "txt2img");
}

TEST_CASE("InvokeAI 2.x sd-metadata is recognised, with its bracketed negative prompt", "[io][metadata]") {
  auto info = extract_generation_metadata({{"Dream", "\"a castle\" -s 50"}, {"sd-metadata", kInvokeAILegacy}});
  REQUIRE(info);
  CHECK(info->generator == "InvokeAI 2.2.5");
  CHECK(info->prompt == "a castle on a hill");
  CHECK(info->negative_prompt == "fog, people");
  CHECK(info->sampler == "lms");
  CHECK(info->steps == 50);
  CHECK(info->seed == 3357757885u);
  CHECK(info->model_name == "stable-diffusion-1.5");
}

TEST_CASE("ComfyUI API prompt: sampler, texts, size, model through LoRA, clip skip", "[io][metadata]") {
  auto info = extract_generation_metadata({{"prompt", kComfyPrompt}, {"workflow", kComfyWorkflow}});
  REQUIRE(info);
  CHECK(info->generator == "ComfyUI");
  CHECK(info->seed == 156680208700286u);
  CHECK(info->steps == 20);
  CHECK(info->cfg_scale == 8.0);
  CHECK(info->sampler == "euler_a");
  CHECK(info->schedule == "karras");
  CHECK(info->prompt == "beautiful scenery nature glass bottle landscape, purple galaxy bottle");
  CHECK(info->negative_prompt == "text, watermark");
  CHECK(info->width == 512);
  CHECK(info->height == 640);
  CHECK(info->batch_size == 2);
  CHECK(info->model_name == "v1-5-pruned-emaonly.safetensors");
  CHECK(info->clip_skip == 2);
  CHECK(!info->strength);
  CHECK(*info->find_extra("LoRAs") == "add_detail.safetensors:0.6");
}

TEST_CASE("ComfyUI UI workflow is used when the API prompt is absent or unusable", "[io][metadata]") {
  auto info = extract_generation_metadata({{"prompt", "{\"1\": {\"class_type\": \"SaveImage\"}}"}, {"workflow", kComfyWorkflow}});
  REQUIRE(info);
  CHECK(info->generator == "ComfyUI");
  CHECK(info->seed == 42u);
  CHECK(info->steps == 25);
  CHECK(info->cfg_scale == 6.5);
  CHECK(info->sampler == "dpmpp_2m");
  CHECK(info->schedule == "normal");
  CHECK(info->prompt == "a lighthouse at dusk");
  CHECK(info->negative_prompt == "people");
  CHECK(info->width == 768);
  CHECK(info->model_name == "dreamshaper_8.safetensors");
}

TEST_CASE("A1111 parameters win over a ComfyUI graph but name ComfyUI as the writer", "[io][metadata]") {
  auto info = extract_generation_metadata(
      {{"prompt", kComfyPrompt}, {"parameters", "a fox\nSteps: 9, Sampler: Euler, CFG scale: 3, Seed: 5"}});
  REQUIRE(info);
  CHECK(info->generator == "ComfyUI (A1111-style parameters)");
  CHECK(info->prompt == "a fox");
  CHECK(info->steps == 9);
}

TEST_CASE("Fooocus JSON parameters are recognised", "[io][metadata]") {
  auto info = extract_generation_metadata({{"parameters", kFooocus}, {"fooocus_scheme", "fooocus"}});
  REQUIRE(info);
  CHECK(info->generator == "Fooocus v2.5.5");
  CHECK(info->prompt == "a cozy cabin");
  CHECK(info->steps == 30);
  CHECK(info->cfg_scale == 4.0);
  CHECK(info->seed == 1234u);
  CHECK(info->sampler == "dpmpp_2m_sde");
  CHECK(info->width == 1152);
  CHECK(info->height == 896);
}

TEST_CASE("Unusable or unknown metadata gives nullopt, never an exception", "[io][metadata]") {
  CHECK(!extract_generation_metadata({}));
  CHECK(!extract_generation_metadata({{"Software", "GIMP"}, {"Comment", "hello"}}));
  CHECK(!extract_generation_metadata({{"prompt", "not json"}, {"invokeai_metadata", "[1]"}, {"strata", "{bad"}}));
  CHECK(!parse_comfyui_prompt(R"({"3": {"class_type": "KSampler", "inputs": {"seed": [1], "steps": "x", "positive": ["3", 0]}}})")
             ->prompt.size());
  CHECK(!parse_comfyui_workflow(R"({"nodes": [{"type": 5}], "links": 3})"));
  CHECK(!parse_invokeai_metadata(R"({"positive_prompt": 12, "model": "x"})")->prompt.size());
}

TEST_CASE("Strata's chunks are preferred and round-trip through a PNG file", "[io][metadata]") {
  auto dir = test::temp_dir("io_metadata_strata");
  GenerationInfo info;
  info.generator = "Strata 0.1.0";
  info.prompt = "an owl, ink drawing";
  info.negative_prompt = "color";
  info.steps = 25;
  info.sampler = "dpmpp_2m";
  info.schedule = "karras";
  info.cfg_scale = 6.0;
  info.seed = 7;
  info.width = 64;
  info.height = 32;
  info.strength = 1.0;
  info.extra = {{"Template", "Ink"}};
  auto chunks = make_generation_text_chunks(info);
  REQUIRE(chunks.size() == 2);
  CHECK(chunks[0].key == "parameters");
  CHECK(chunks[1].key == "strata");
  write_png(dir / "owl.png", test::pattern_image(64, 32, 3), chunks);
  auto back = read_generation_metadata(dir / "owl.png");
  REQUIRE(back);
  CHECK(*back == info);

  // Without the strata chunk, the A1111 text is read instead.
  write_png(dir / "a1111.png", test::pattern_image(8, 8, 3), {chunks[0]});
  auto a1111 = read_generation_metadata(dir / "a1111.png");
  REQUIRE(a1111);
  CHECK(a1111->generator == "AUTOMATIC1111-compatible");
  CHECK(a1111->prompt == info.prompt);
  CHECK(a1111->seed == 7u);

  write_png(dir / "plain.png", test::pattern_image(8, 8, 3));
  CHECK(!read_generation_metadata(dir / "plain.png"));
}

TEST_CASE("A1111 parameters in a JPEG's EXIF UserComment (UTF-16) are found", "[io][metadata][exif]") {
  const std::string params = "a snowy owl\nNegative prompt: blur\nSteps: 12, Sampler: Euler a, CFG scale: 5, Seed: 99, Size: 8x8";
  for (bool big_endian : {true, false}) {
    INFO("UTF-16 big-endian: " << big_endian);
    // EXIF as piexif writes it: TIFF header, IFD0 with the Exif IFD pointer, Exif IFD with UserComment.
    ByteVec comment = test::bytes_of(std::string("UNICODE\0", 8));
    for (char c : params) {
      if (big_endian) comment.insert(comment.end(), {0, static_cast<std::uint8_t>(c)});
      else comment.insert(comment.end(), {static_cast<std::uint8_t>(c), 0});
    }
    ByteVec tiff = {'M', 'M', 0, 42, 0, 0, 0, 8};
    auto be16 = [&](std::uint32_t v) { tiff.insert(tiff.end(), {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}); };
    be16(1);                                   // IFD0: one entry
    be16(0x8769); be16(4); test::put_be32(tiff, 1); test::put_be32(tiff, 26);  // Exif IFD at 26
    test::put_be32(tiff, 0);                   // no next IFD
    be16(1);                                   // Exif IFD: one entry (at 26)
    be16(0x9286); be16(7); test::put_be32(tiff, static_cast<std::uint32_t>(comment.size())); test::put_be32(tiff, 44);
    test::put_be32(tiff, 0);
    REQUIRE(tiff.size() == 44);
    tiff.insert(tiff.end(), comment.begin(), comment.end());

    std::vector<std::uint8_t> jpeg;
    REQUIRE(cv::imencode(".jpg", cv::Mat(8, 8, CV_8UC3, cv::Scalar(0, 128, 255)), jpeg));
    ByteVec app1 = {0xFF, 0xE1, 0, 0};
    const std::size_t seg_len = 2 + 6 + tiff.size();
    app1[2] = static_cast<std::uint8_t>(seg_len >> 8);
    app1[3] = static_cast<std::uint8_t>(seg_len);
    app1.insert(app1.end(), {'E', 'x', 'i', 'f', 0, 0});
    app1.insert(app1.end(), tiff.begin(), tiff.end());
    jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());

    auto text = decode_image_text(jpeg, "owl.jpg");
    REQUIRE(text.size() == 1);
    CHECK(text[0] == TextChunk{"parameters", params});
    auto info = extract_generation_metadata(text);
    REQUIRE(info);
    CHECK(info->prompt == "a snowy owl");
    CHECK(info->seed == 99u);
    CHECK(decode_image(jpeg, "owl.jpg").width == 8);  // the image still decodes
  }
}
