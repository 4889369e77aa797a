// hints.h (private) — ModelHints from the JSON configs that travel with checkpoints.
//
// Understood layouts (all optional, unknown keys ignored):
//   * this kit's / Strata's config.json next to a .safetensors file: {"ldm": {...}, "diffusers":
//     {"unet": {...}, "text_encoder": {...}, "scheduler_config_json": {...}}, "summary": {...}}
//   * an ldm yaml converted to JSON: {"model": {"params": {"unet_config": {"params": {...}}}}}
//   * diffusers component configs: unet/config.json (attention_head_dim / num_attention_heads,
//     block_out_channels), text_encoder/config.json (num_attention_heads, hidden_act),
//     text_encoder_2/config.json (num_attention_heads),
//     scheduler/scheduler_config.json (prediction_type), model_index.json (_class_name).
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "strata/diffusion/model_config.h"

namespace strata::diffusion::models {

ModelHints hints_from_diffusers_unet(const nlohmann::json& unet, const std::string& source);
ModelHints hints_from_diffusers_text_encoder(const nlohmann::json& text, const std::string& source);
// text_encoder_2/config.json (SDXL's bigG): num_attention_heads → text2_heads.
ModelHints hints_from_diffusers_text_encoder_2(const nlohmann::json& text, const std::string& source);
ModelHints hints_from_scheduler(const nlohmann::json& scheduler, const std::string& source);
ModelHints hints_from_model_index(const nlohmann::json& model_index, const std::string& source);
// ldm "LatentDiffusion" params (the object holding unet_config, parameterization, …).
ModelHints hints_from_ldm_params(const nlohmann::json& params, const std::string& source);
// A config.json next to a single file: any of the layouts above.
ModelHints hints_from_config_json(const nlohmann::json& config, const std::string& source);

}  // namespace strata::diffusion::models
