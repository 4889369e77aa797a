// ModelHints: numbers that are not in the tensor shapes, from __metadata__ and JSON configs.
#include "models/hints.h"

#include <algorithm>
#include <cmath>

namespace strata::diffusion {

void ModelHints::fill_from(const ModelHints& other) {
  bool used = false;
  auto take = [&used](auto& mine, const auto& theirs) {
    if (!mine && theirs) {
      mine = theirs;
      used = true;
    }
  };
  take(unet_num_heads, other.unet_num_heads);
  take(unet_head_dim, other.unet_head_dim);
  take(text_heads, other.text_heads);
  take(text_quick_gelu, other.text_quick_gelu);
  take(text2_heads, other.text2_heads);
  take(leading_spacing, other.leading_spacing);
  take(prediction, other.prediction);
  take(family, other.family);
  take(native_size, other.native_size);
  take(vae_scale_factor, other.vae_scale_factor);
  take(vae_norm_groups, other.vae_norm_groups);
  take(unet_norm_groups, other.unet_norm_groups);
  take(latent_rgb, other.latent_rgb);
  if (used && !other.source.empty() && source.find(other.source) == std::string::npos) {
    source = source.empty() ? other.source : source + ", " + other.source;
  }
}

namespace {

std::optional<int> positive_int(const std::string& s) {
  try {
    std::size_t used = 0;
    int v = std::stoi(s, &used);
    if (used == s.size() && v > 0) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::optional<float> positive_float(const std::string& s) {
  try {
    std::size_t used = 0;
    float v = std::stof(s, &used);
    if (used == s.size() && v > 0.f && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::optional<Prediction> parse_prediction(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "epsilon" || s == "eps") return Prediction::Epsilon;
  if (s == "v" || s == "v_prediction" || s == "v-prediction") return Prediction::VPrediction;
  return std::nullopt;
}

// "[n, n, …]" with exactly 15 finite numbers (the preview projection), else nullopt.
std::optional<std::vector<float>> parse_latent_rgb(const std::string& s) {
  const auto j = nlohmann::json::parse(s, nullptr, false);
  if (!j.is_array() || j.size() != 15) return std::nullopt;
  std::vector<float> out;
  for (const auto& v : j) {
    if (!v.is_number() || !std::isfinite(v.get<double>())) return std::nullopt;
    out.push_back(v.get<float>());
  }
  return out;
}

}  // namespace

ModelHints ModelHints::from_metadata(const std::map<std::string, std::string>& metadata) {
  ModelHints h;
  auto get = [&](const char* key) -> const std::string* {
    auto it = metadata.find(key);
    return it == metadata.end() ? nullptr : &it->second;
  };
  if (auto* v = get("strata.unet.num_heads")) h.unet_num_heads = positive_int(*v);
  if (auto* v = get("strata.unet.head_dim")) h.unet_head_dim = positive_int(*v);
  if (auto* v = get("strata.text_encoder.heads")) h.text_heads = positive_int(*v);
  if (auto* v = get("strata.prediction")) h.prediction = parse_prediction(*v);
  if (auto* v = get("strata.native_size")) h.native_size = positive_int(*v);
  if (auto* v = get("strata.vae.scale_factor")) h.vae_scale_factor = positive_float(*v);
  if (auto* v = get("strata.vae.norm_groups")) h.vae_norm_groups = positive_int(*v);
  if (auto* v = get("strata.unet.norm_groups")) h.unet_norm_groups = positive_int(*v);
  if (auto* v = get("strata.preview.latent_rgb")) h.latent_rgb = parse_latent_rgb(*v);
  if (auto* v = get("modelspec.prediction_type"); v && !h.prediction) h.prediction = parse_prediction(*v);
  if (auto* v = get("modelspec.architecture"); v && !h.prediction) {
    if (v->size() > 2 && v->compare(v->size() - 2, 2, "-v") == 0) h.prediction = Prediction::VPrediction;
  }
  if (auto* v = get("ss_v_parameterization"); v && !h.prediction && (*v == "True" || *v == "true")) {
    h.prediction = Prediction::VPrediction;
  }
  if (h.unet_num_heads || h.unet_head_dim || h.text_heads || h.prediction || h.native_size || h.vae_scale_factor ||
      h.vae_norm_groups || h.unet_norm_groups || h.latent_rgb) h.source = "__metadata__";
  return h;
}

namespace models {

namespace {

std::optional<int> json_int(const nlohmann::json& j, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_number_integer() && j[key].get<int>() > 0) return j[key].get<int>();
  return std::nullopt;
}

const nlohmann::json* object_at(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* cur = &j;
  for (const char* key : path) {
    if (!cur->is_object() || !cur->contains(key) || !(*cur)[key].is_object()) return nullptr;
    cur = &(*cur)[key];
  }
  return cur;
}

}  // namespace

ModelHints hints_from_diffusers_unet(const nlohmann::json& unet, const std::string& source) {
  ModelHints h;
  h.source = source;
  if (!unet.is_object()) return h;
  // sample_size is the latent side the UNet was trained at; SD's VAE downsamples by 8.
  if (unet.contains("sample_size") && unet["sample_size"].is_number_integer() && unet["sample_size"].get<int>() > 0) {
    h.native_size = unet["sample_size"].get<int>() * 8;
  }
  // diffusers' attention_head_dim is really the head count when num_attention_heads is absent.
  const char* key = unet.contains("num_attention_heads") && !unet["num_attention_heads"].is_null()
                        ? "num_attention_heads"
                        : "attention_head_dim";
  if (!unet.contains(key)) return h;
  const auto& heads = unet[key];
  if (heads.is_number_integer() && heads.get<int>() > 0) {
    h.unet_num_heads = heads.get<int>();
  } else if (heads.is_array() && !heads.empty() && unet.contains("block_out_channels") &&
             unet["block_out_channels"].is_array() && unet["block_out_channels"].size() == heads.size()) {
    // Per-level head counts: a fixed head count, or a fixed head width (SD2: [5,10,20,20] × 64).
    std::vector<int> n, ch;
    for (std::size_t i = 0; i < heads.size(); ++i) {
      if (!heads[i].is_number_integer() || heads[i].get<int>() <= 0) return h;
      n.push_back(heads[i].get<int>());
      ch.push_back(unet["block_out_channels"][i].get<int>());
    }
    if (std::all_of(n.begin(), n.end(), [&](int v) { return v == n[0]; })) {
      h.unet_num_heads = n[0];
    } else if (ch[0] % n[0] == 0) {
      const int dim = ch[0] / n[0];
      bool fixed = true;
      for (std::size_t i = 0; i < n.size(); ++i) fixed = fixed && ch[i] == n[i] * dim;
      if (fixed) h.unet_head_dim = dim;
    }
  }
  return h;
}

ModelHints hints_from_diffusers_text_encoder(const nlohmann::json& text, const std::string& source) {
  ModelHints h;
  h.source = source;
  h.text_heads = json_int(text, "num_attention_heads");
  if (text.is_object() && text.contains("hidden_act") && text["hidden_act"].is_string()) {
    h.text_quick_gelu = text["hidden_act"].get<std::string>() == "quick_gelu";
  }
  return h;
}

ModelHints hints_from_diffusers_text_encoder_2(const nlohmann::json& text, const std::string& source) {
  ModelHints h;
  h.source = source;
  h.text2_heads = json_int(text, "num_attention_heads");
  return h;
}

ModelHints hints_from_scheduler(const nlohmann::json& scheduler, const std::string& source) {
  ModelHints h;
  h.source = source;
  if (scheduler.is_object() && scheduler.contains("prediction_type") && scheduler["prediction_type"].is_string()) {
    h.prediction = parse_prediction(scheduler["prediction_type"].get<std::string>());
  }
  if (scheduler.is_object() && scheduler.contains("timestep_spacing") && scheduler["timestep_spacing"].is_string()) {
    h.leading_spacing = scheduler["timestep_spacing"].get<std::string>() == "leading";
  }
  return h;
}

ModelHints hints_from_model_index(const nlohmann::json& model_index, const std::string& source) {
  ModelHints h;
  h.source = source;
  if (model_index.is_object() && model_index.contains("_class_name") && model_index["_class_name"].is_string()) {
    const auto name = model_index["_class_name"].get<std::string>();
    if (name.find("XL") != std::string::npos) h.family = ModelFamily::SDXL;
  }
  return h;
}

ModelHints hints_from_ldm_params(const nlohmann::json& params, const std::string& source) {
  ModelHints h;
  h.source = source;
  if (!params.is_object()) return h;
  if (params.contains("parameterization") && params["parameterization"].is_string()) {
    h.prediction = params["parameterization"].get<std::string>() == "v" ? Prediction::VPrediction : Prediction::Epsilon;
  }
  if (const auto* unet = object_at(params, {"unet_config", "params"})) {
    h.unet_head_dim = json_int(*unet, "num_head_channels");  // -1 (absent) unless SD2/SDXL style
    if (!h.unet_head_dim) h.unet_num_heads = json_int(*unet, "num_heads");
  }
  return h;
}

ModelHints hints_from_config_json(const nlohmann::json& config, const std::string& source) {
  ModelHints h;
  h.source = source;
  if (!config.is_object()) return h;
  if (const auto* ldm = object_at(config, {"ldm", "params"})) h.fill_from(hints_from_ldm_params(*ldm, source));
  if (const auto* ldm = object_at(config, {"model", "params"})) h.fill_from(hints_from_ldm_params(*ldm, source));
  for (const nlohmann::json* root : {object_at(config, {"diffusers"}), &config}) {
    if (root == nullptr) continue;
    if (const auto* u = object_at(*root, {"unet"})) h.fill_from(hints_from_diffusers_unet(*u, source));
    if (const auto* t = object_at(*root, {"text_encoder"})) h.fill_from(hints_from_diffusers_text_encoder(*t, source));
    if (const auto* t = object_at(*root, {"text_encoder_2"})) h.fill_from(hints_from_diffusers_text_encoder_2(*t, source));
    if (const auto* v = object_at(*root, {"vae"}); v && v->contains("scaling_factor") && (*v)["scaling_factor"].is_number()) {
      const float f = (*v)["scaling_factor"].get<float>();
      if (f > 0.f && !h.vae_scale_factor) h.vae_scale_factor = f;
    }
    for (const char* key : {"scheduler", "scheduler_config_json"}) {
      if (const auto* sc = object_at(*root, {key})) h.fill_from(hints_from_scheduler(*sc, source));
    }
  }
  if (const auto* summary = object_at(config, {"summary"})) {
    if (!h.prediction && summary->contains("prediction_type") && (*summary)["prediction_type"].is_string()) {
      h.prediction = parse_prediction((*summary)["prediction_type"].get<std::string>());
    }
  }
  h.source = source;
  return h;
}

}  // namespace models
}  // namespace strata::diffusion
