// SDXL images from other tools: InvokeAI 3/4/5 (model base, style prompts, refiner_*), ComfyUI
// (CLIPTextEncodeSDXL / CLIPTextEncodeSDXLRefiner in the API and UI graphs) and A1111 (refiner keys).
// Fixtures are written by hand in each tool's documented shape (see metadata.h for references).
#include <catch2/catch.hpp>

#include "strata/io/metadata.h"

using namespace strata::io;

namespace {

// InvokeAI 5.x, SDXL base + refiner (core_metadata of an sdxl_txt2img graph).
const char* kInvokeSdxl = R"json({"app_version":"5.4.2","generation_mode":"sdxl_txt2img",
 "positive_prompt":"a majestic lion at golden hour","negative_prompt":"cartoon, blurry",
 "positive_style_prompt":"award-winning wildlife photo","negative_style_prompt":"illustration",
 "width":1152,"height":896,"seed":1234567890,"rand_device":"cpu","cfg_scale":6,"cfg_rescale_multiplier":0,"steps":35,
 "scheduler":"euler_a","seamless_x":false,"seamless_y":false,
 "model":{"key":"2b1c6a1e-0c8e","hash":"blake3:5e2a","name":"sd_xl_base_1.0","base":"sdxl","type":"main"},
 "refiner_model":{"key":"8f3d","hash":"blake3:91c0","name":"sd_xl_refiner_1.0","base":"sdxl-refiner","type":"main"},
 "refiner_cfg_scale":7.5,"refiner_steps":20,"refiner_scheduler":"euler","refiner_positive_aesthetic_score":6.5,
 "refiner_negative_aesthetic_score":2.25,"refiner_start":0.8})json";

// InvokeAI 3.x: model_name / base_model.
const char* kInvoke3Sdxl = R"json({"app_version":"3.4.0post2","generation_mode":"sdxl_txt2img",
 "positive_prompt":"castle","negative_prompt":"","width":1024,"height":1024,"seed":99,"cfg_scale":7.5,"steps":30,
 "scheduler":"dpmpp_2m_sde_k","model":{"model_name":"juggernautXL_v7","base_model":"sdxl","model_type":"main"},
 "refiner_model":{"model_name":"stable-diffusion-xl-refiner-1-0","base_model":"sdxl-refiner","model_type":"main"},
 "refiner_steps":15,"refiner_positive_aesthetic_score":6,"refiner_negative_aesthetic_score":2.5,"refiner_start":0.75})json";

// ComfyUI's SDXL base + refiner example in API format. The refiner sampler has the lower id; the
// base crops at (x 32, y 16) of a 4096² original.
const char* kComfySdxl = R"json({
 "3": {"class_type": "KSamplerAdvanced", "inputs": {"add_noise": "disable", "noise_seed": 0, "steps": 25, "cfg": 8,
       "sampler_name": "euler", "scheduler": "normal", "start_at_step": 20, "end_at_step": 10000,
       "return_with_leftover_noise": "disable", "model": ["12", 0], "positive": ["15", 0], "negative": ["16", 0],
       "latent_image": ["10", 0]}},
 "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
 "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024, "height": 1024, "batch_size": 1}},
 "6": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"width": 4096, "height": 4096, "crop_w": 32, "crop_h": 16,
       "target_width": 1024, "target_height": 1024, "text_g": "evening sunset scenery blue sky nature, glass bottle",
       "text_l": "glass bottle", "clip": ["4", 1]}},
 "7": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"width": 4096, "height": 4096, "crop_w": 0, "crop_h": 0,
       "target_width": 1024, "target_height": 1024, "text_g": "text, watermark", "text_l": "text, watermark",
       "clip": ["4", 1]}},
 "10": {"class_type": "KSamplerAdvanced", "inputs": {"add_noise": "enable", "noise_seed": 721897303308196, "steps": 25,
        "cfg": 8, "sampler_name": "euler", "scheduler": "normal", "start_at_step": 0, "end_at_step": 20,
        "return_with_leftover_noise": "enable", "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0],
        "latent_image": ["5", 0]}},
 "12": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_refiner_1.0.safetensors"}},
 "15": {"class_type": "CLIPTextEncodeSDXLRefiner", "inputs": {"ascore": 6, "width": 2048, "height": 2048,
        "text": "evening sunset scenery blue sky nature, glass bottle", "clip": ["12", 1]}},
 "16": {"class_type": "CLIPTextEncodeSDXLRefiner", "inputs": {"ascore": 2.5, "width": 2048, "height": 2048,
        "text": "text, watermark", "clip": ["12", 1]}},
 "17": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["12", 2]}},
 "19": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["17", 0]}}})json";

// A refiner-only img2img pass: the recorded sampler is the refiner's.
const char* kComfyRefinerOnly = R"json({
 "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_refiner_1.0.safetensors"}},
 "2": {"class_type": "LoadImage", "inputs": {"image": "base.png"}},
 "3": {"class_type": "VAEEncode", "inputs": {"pixels": ["2", 0], "vae": ["1", 2]}},
 "4": {"class_type": "CLIPTextEncodeSDXLRefiner", "inputs": {"ascore": 7, "width": 1536, "height": 1024, "text": "a fox",
       "clip": ["1", 1]}},
 "5": {"class_type": "CLIPTextEncodeSDXLRefiner", "inputs": {"ascore": 3, "width": 1536, "height": 1024, "text": "ugly",
       "clip": ["1", 1]}},
 "6": {"class_type": "KSampler", "inputs": {"seed": 5, "steps": 10, "cfg": 7, "sampler_name": "dpmpp_2m",
       "scheduler": "karras", "denoise": 0.3, "model": ["1", 0], "positive": ["4", 0], "negative": ["5", 0],
       "latent_image": ["3", 0]}}})json";

// The UI graph of an SDXL workflow (widgets in the nodes' input order).
const char* kComfySdxlWorkflow = R"json({"last_node_id": 7, "last_link_id": 6, "nodes": [
 {"id": 3, "type": "KSampler", "inputs": [{"name": "model", "type": "MODEL", "link": 1},
   {"name": "positive", "type": "CONDITIONING", "link": 4}, {"name": "negative", "type": "CONDITIONING", "link": 6},
   {"name": "latent_image", "type": "LATENT", "link": 2}], "widgets_values": [42, "fixed", 30, 7, "dpmpp_2m", "karras", 1]},
 {"id": 4, "type": "CheckpointLoaderSimple", "widgets_values": ["sd_xl_base_1.0.safetensors"]},
 {"id": 5, "type": "EmptyLatentImage", "widgets_values": [1216, 832, 1]},
 {"id": 6, "type": "CLIPTextEncodeSDXL", "inputs": [{"name": "clip", "type": "CLIP", "link": 3}],
  "widgets_values": [2432, 1664, 0, 64, 1216, 832, "a red fox in the snow", "fox"]},
 {"id": 7, "type": "CLIPTextEncodeSDXL", "inputs": [{"name": "clip", "type": "CLIP", "link": 5}],
  "widgets_values": [2432, 1664, 0, 64, 1216, 832, "blurry", "blurry"]}],
 "links": [[1, 4, 0, 3, 0, "MODEL"], [2, 5, 0, 3, 3, "LATENT"], [3, 4, 1, 6, 0, "CLIP"], [4, 6, 0, 3, 1, "CONDITIONING"],
           [5, 4, 1, 7, 0, "CLIP"], [6, 7, 0, 3, 2, "CONDITIONING"]], "version": 0.4})json";

}  // namespace

TEST_CASE("InvokeAI SDXL metadata: family, style prompts, refiner pass", "[io][metadata][sdxl]") {
  auto info = extract_generation_metadata({{"invokeai_metadata", kInvokeSdxl}, {"invokeai_graph", "{}"}});
  REQUIRE(info);
  CHECK(info->generator == "InvokeAI 5.4.2");
  CHECK(info->model_family == "SDXL");
  CHECK(info->model_name == "sd_xl_base_1.0");
  CHECK(info->prompt == "a majestic lion at golden hour");
  CHECK(info->width == 1152);
  CHECK(info->height == 896);
  CHECK(info->sampler == "euler_a");
  CHECK(info->aesthetic_score == 6.5);
  CHECK(info->negative_aesthetic_score == 2.25);
  CHECK_FALSE(info->original_size);  // InvokeAI does not record its size conditioning
  REQUIRE(info->find_extra("Style prompt"));
  CHECK(*info->find_extra("Style prompt") == "award-winning wildlife photo");
  CHECK(*info->find_extra("Negative style prompt") == "illustration");
  REQUIRE(info->find_extra("Refiner"));
  CHECK(*info->find_extra("Refiner") == "sd_xl_refiner_1.0");
  CHECK(*info->find_extra("Refiner switch at") == "0.8");
  CHECK(*info->find_extra("Refiner steps") == "20");
  CHECK(*info->find_extra("Refiner CFG scale") == "7.5");
  CHECK(*info->find_extra("Refiner scheduler") == "euler");
  CHECK(*info->find_extra("Generation mode") == "sdxl_txt2img");
  CHECK_FALSE(info->find_extra("Model base"));

  auto v3 = parse_invokeai_metadata(kInvoke3Sdxl);
  REQUIRE(v3);
  CHECK(v3->model_family == "SDXL");
  CHECK(v3->model_name == "juggernautXL_v7");
  CHECK(v3->sampler == "dpmpp_2m_sde");
  CHECK(v3->schedule == "karras");
  CHECK(*v3->find_extra("Refiner") == "stable-diffusion-xl-refiner-1-0");
  CHECK(*v3->find_extra("Refiner switch at") == "0.75");
  CHECK(v3->aesthetic_score == 6.0);
  CHECK(v3->negative_aesthetic_score == 2.5);

  // An SD 1.x image: family from "sd-1", no refiner fields.
  auto sd1 = parse_invokeai_metadata(R"({"positive_prompt":"x","seed":1,"model":{"name":"dreamshaper","base":"sd-1"}})");
  REQUIRE(sd1);
  CHECK(sd1->model_family == "SD1");
  CHECK_FALSE(sd1->aesthetic_score);
  CHECK_FALSE(sd1->find_extra("Refiner"));
}

TEST_CASE("ComfyUI SDXL API graph: base size conditioning and the refiner pass", "[io][metadata][sdxl]") {
  auto info = extract_generation_metadata({{"prompt", kComfySdxl}});
  REQUIRE(info);
  CHECK(info->generator == "ComfyUI");
  CHECK(info->seed == 721897303308196u);  // the base pass (empty latent), not the lower-id refiner
  CHECK(info->steps == 25);
  CHECK(info->model_name == "sd_xl_base_1.0.safetensors");
  CHECK(info->model_family == "SDXL");
  CHECK(info->prompt == "evening sunset scenery blue sky nature, glass bottle");
  CHECK(info->negative_prompt == "text, watermark");
  CHECK(info->width == 1024);
  CHECK(info->original_size == PixelSize{4096, 4096});
  CHECK(info->crop_top_left == PixelOffset{32, 16});  // crop_w is the left edge, crop_h the top
  CHECK(info->target_size == PixelSize{1024, 1024});
  CHECK(info->aesthetic_score == 6.0);
  CHECK(info->negative_aesthetic_score == 2.5);
  REQUIRE(info->find_extra("Refiner"));
  CHECK(*info->find_extra("Refiner") == "sd_xl_refiner_1.0.safetensors");
  CHECK(*info->find_extra("Refiner switch at") == "0.8");
  CHECK(*info->find_extra("CLIP-L prompt") == "glass bottle");
  CHECK_FALSE(info->find_extra("Negative CLIP-L prompt"));  // same as text_g

  auto refiner = parse_comfyui_prompt(kComfyRefinerOnly);
  REQUIRE(refiner);
  CHECK(refiner->prompt == "a fox");
  CHECK(refiner->negative_prompt == "ugly");
  CHECK(refiner->model_family == "SDXL");
  CHECK(refiner->aesthetic_score == 7.0);
  CHECK(refiner->negative_aesthetic_score == 3.0);
  CHECK(refiner->original_size == PixelSize{1536, 1024});
  CHECK(refiner->strength == 0.3);
  CHECK_FALSE(refiner->find_extra("Refiner"));
}

TEST_CASE("ComfyUI SDXL UI workflow: text_g is the prompt, sizes from the widgets", "[io][metadata][sdxl]") {
  auto info = parse_comfyui_workflow(kComfySdxlWorkflow);
  REQUIRE(info);
  CHECK(info->prompt == "a red fox in the snow");
  CHECK(info->negative_prompt == "blurry");
  CHECK(info->model_family == "SDXL");
  CHECK(info->original_size == PixelSize{2432, 1664});
  CHECK(info->crop_top_left == PixelOffset{0, 64});
  CHECK(info->target_size == PixelSize{1216, 832});
  CHECK(info->width == 1216);
  CHECK(info->sampler == "dpmpp_2m");
}

TEST_CASE("A1111 and Fooocus SDXL images", "[io][metadata][sdxl]") {
  const char* a1111 =
      "a cinematic photo of a fox in the snow, 35mm\nNegative prompt: drawing, painting\n"
      "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 3456789012, Size: 1024x1024, Model hash: 31e35c80fc, "
      "Model: sd_xl_base_1.0, Refiner: sd_xl_refiner_1.0 [7440042bbd], Refiner switch at: 0.8, Version: v1.6.0";
  auto info = extract_generation_metadata({{"parameters", a1111}});
  REQUIRE(info);
  CHECK(info->generator == "AUTOMATIC1111 v1.6.0");
  CHECK(info->model_name == "sd_xl_base_1.0");
  CHECK(info->model_hash == "31e35c80fc");
  CHECK(info->sampler == "dpmpp_2m");
  CHECK(info->schedule == "karras");
  CHECK(info->width == 1024);
  CHECK(info->model_family.empty());  // A1111 does not record it
  CHECK(*info->find_extra("Refiner") == "sd_xl_refiner_1.0 [7440042bbd]");
  CHECK(*info->find_extra("Refiner switch at") == "0.8");

  auto fooocus = parse_fooocus_parameters(R"json({"Prompt": "a cabin", "Base Model": "juggernautXL_v8.safetensors",
                                               "Resolution": "(1152, 896)", "Version": "Fooocus v2.5.5"})json");
  REQUIRE(fooocus);
  CHECK(fooocus->model_family == "SDXL");
  CHECK(fooocus->width == 1152);
}

TEST_CASE("ComfyUI SDXL encoders with out-of-range or odd inputs are read safely", "[io][metadata][sdxl]") {
  auto info = parse_comfyui_prompt(R"json({
   "1": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 2, "cfg": 3, "positive": ["2", 0], "latent_image": ["3", 0]}},
   "2": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"width": 1e300, "height": 1024, "crop_w": "0", "crop_h": 0,
         "target_width": 9876543210, "target_height": 1024, "text_g": "g", "text_l": ["4", 0]}},
   "3": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024, "height": 1024}}})json");
  REQUIRE(info);
  CHECK(info->model_family == "SDXL");
  CHECK(info->prompt == "g");
  CHECK_FALSE(info->original_size);  // width does not fit an int
  CHECK_FALSE(info->crop_top_left);   // crop_w is a string
  CHECK_FALSE(info->target_size);
  CHECK_FALSE(info->find_extra("CLIP-L prompt"));  // text_l links to a missing node
}
