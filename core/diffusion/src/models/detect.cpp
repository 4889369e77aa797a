// ModelConfig::detect — the architecture of a checkpoint from tensor names and shapes only.
//
// Keys are single-file (ldm / sgm) checkpoint keys; diffusers folders are renamed to them first
// (diffusers_names.cpp). Family markers:
//   SD 1.x  cond_stage_model.transformer.text_model.*  (HF CLIPTextModel, CLIP ViT-L/14)
//   SD 2.x  cond_stage_model.model.*                   (OpenCLIP ViT-H/14), or from diffusers
//           cond_stage_model.transformer.text_model.* (the tower cut to 23 layers); linear proj_in/out
//   SDXL    conditioner.embedders.*, model.diffusion_model.label_emb.*, context 2048 (1280 refiner);
//           bigG as OpenCLIP (…embedders.N.model.*) or, from diffusers' text_encoder_2,
//           …embedders.1.transformer.{text_model.*, text_projection.weight}
// Ref: CompVis/stable-diffusion openaimodel.py (UNetModel block order: input_blocks = conv_in, then
// per level num_res_blocks × [ResBlock (+ SpatialTransformer)] and a Downsample except on the last
// level); leejet/stable-diffusion.cpp docs/model_config.md (detection by key markers).
#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>
#include <set>

#include "models/detect_util.h"
#include "strata/diffusion/model_config.h"
#include "strata/doc/error.h"

namespace strata::diffusion {

using doc::Error;
using doc::ErrorCode;

std::string_view to_string(ModelFamily family) {
  switch (family) {
    case ModelFamily::SD1: return "SD1";
    case ModelFamily::SD2: return "SD2";
    case ModelFamily::SDXL: return "SDXL";
    case ModelFamily::Unknown: return "Unknown";
  }
  return "Unknown";
}

std::string_view to_string(Prediction prediction) {
  return prediction == Prediction::VPrediction ? "v" : "epsilon";
}

namespace models {

ShapeLookup::ShapeLookup(const TensorIndex& index) : index_(index), culprit_(describe_files(index)) {
  for (const auto& t : index.tensors()) names_.insert(t.name);
}

const std::vector<std::int64_t>* ShapeLookup::find(const std::string& key) const {
  const auto* t = index_.find(key);
  return t ? &t->shape : nullptr;
}

const std::vector<std::int64_t>& ShapeLookup::need(const std::string& key, std::size_t rank) const {
  const auto* shape = find(key);
  if (shape == nullptr) {
    throw Error(ErrorCode::MissingTensor, key + ": needed to detect the architecture, not found in " + culprit_);
  }
  if (shape->size() != rank) {
    throw Error(ErrorCode::ShapeMismatch, key + ": expected " + std::to_string(rank) + " dimensions, found " +
                                              shape_string(*shape) + " in " + culprit_);
  }
  return *shape;
}

bool ShapeLookup::has_prefix(std::string_view prefix) const {
  auto it = names_.lower_bound(prefix);
  return it != names_.end() && it->compare(0, prefix.size(), prefix) == 0;
}

int ShapeLookup::count_indices(std::string_view prefix) const {
  int count = 0;
  for (auto it = names_.lower_bound(prefix); it != names_.end() && it->compare(0, prefix.size(), prefix) == 0; ++it) {
    const char* first = it->data() + prefix.size();
    const char* last = it->data() + it->size();
    int n = -1;
    auto [ptr, ec] = std::from_chars(first, last, n);
    if (ec == std::errc() && ptr != last && *ptr == '.') count = std::max(count, n + 1);
  }
  return count;
}

std::string shape_string(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string describe_files(const TensorIndex& index) {
  auto files = index.files();
  if (files.empty()) return "the checkpoint";
  if (files.size() == 1) return files.front().filename().string();
  // A diffusers folder: name the folder (every file lies in <folder>/<component>/).
  auto folder = files.front().parent_path().parent_path();
  return folder.filename().string() + "/ (diffusers folder)";
}

}  // namespace models

namespace {

using models::ShapeLookup;

constexpr std::string_view kUNet = "model.diffusion_model.";
constexpr std::string_view kVAE = "first_stage_model.";
constexpr std::string_view kCLIP = "cond_stage_model.transformer.text_model.";
constexpr std::string_view kOpenCLIP = "cond_stage_model.model.";
constexpr std::string_view kSDXLCLIP = "conditioner.embedders.0.transformer.text_model.";
constexpr std::string_view kSDXLBigG = "conditioner.embedders.1.model.";
constexpr std::string_view kRefinerBigG = "conditioner.embedders.0.model.";
// diffusers' text_encoder_2 (CLIPTextModelWithProjection) renamed: HF names, projection [P, C] beside.
constexpr std::string_view kBigGHF = "conditioner.embedders.1.transformer.text_model.";
constexpr std::string_view kBigGHFProjection = "conditioner.embedders.1.transformer.text_projection.weight";

// A refiner has bigG only: OpenCLIP under embedders.0 (single file) or text_encoder_2 without a
// text_encoder (diffusers).
bool refiner_markers(const ShapeLookup& s) {
  return s.has_prefix(kRefinerBigG) || (s.has_prefix(kBigGHF) && !s.has_prefix("conditioner.embedders.0."));
}

std::string cat(std::string_view a, std::string_view b) { return std::string(a) + std::string(b); }
std::string cat(std::string_view a, int i, std::string_view b) { return std::string(a) + std::to_string(i) + std::string(b); }

std::string list_string(const std::vector<int>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

struct UNetDetection {
  UNetConfig config;
  std::vector<int> depth_per_level;   // 0 where a level has no attention
  std::vector<int> res_per_level;
  int middle_depth = 0;
  bool uniform_res = true;
  bool uniform_depth = true;
  bool label_emb = false;
};

// Walks input_blocks in ldm order to recover channel_mult, num_res_blocks, attention levels and
// transformer depths; context dim and projection kind come from the first transformer.
UNetDetection detect_unet(const ShapeLookup& s) {
  UNetDetection d;
  UNetConfig& u = d.config;
  const auto& conv_in = s.need(cat(kUNet, "input_blocks.0.0.weight"), 4);  // [mc, in, 3, 3]
  u.model_channels = static_cast<int>(conv_in[0]);
  u.in_channels = static_cast<int>(conv_in[1]);
  u.out_channels = static_cast<int>(s.need(cat(kUNet, "out.2.weight"), 4)[0]);  // [out, mc, 3, 3]
  u.channel_mult.clear();
  u.attention_levels.clear();

  bool first_attention = true;
  auto read_attention = [&](const std::string& block) {
    int depth = s.count_indices(block + "transformer_blocks.");
    if (depth > 0 && first_attention) {
      first_attention = false;
      u.context_dim = static_cast<int>(s.need(block + "transformer_blocks.0.attn2.to_k.weight", 2)[1]);
      const auto* proj = s.find(block + "proj_in.weight");
      u.linear_proj = proj != nullptr && proj->size() == 2;  // [C, C] Linear vs [C, C, 1, 1] conv
    }
    return depth;
  };

  const int n_input = s.count_indices(cat(kUNet, "input_blocks."));
  bool new_level = true;
  for (int i = 1; i < n_input; ++i) {
    const std::string block = cat(cat(kUNet, "input_blocks."), i, ".");
    if (s.find(block + "0.op.weight") != nullptr) {  // Downsample closes a level
      new_level = true;
      continue;
    }
    const auto& out_conv = s.need(block + "0.out_layers.3.weight", 4);  // [C, C, 3, 3]
    if (new_level) {
      if (out_conv[0] % u.model_channels != 0) {
        throw Error(ErrorCode::ShapeMismatch, block + "0.out_layers.3.weight: expected a multiple of " +
                                                  std::to_string(u.model_channels) + " output channels, found " +
                                                  models::shape_string(out_conv) + " in " + s.culprit());
      }
      u.channel_mult.push_back(static_cast<int>(out_conv[0] / u.model_channels));
      d.res_per_level.push_back(0);
      d.depth_per_level.push_back(0);
      new_level = false;
    }
    d.res_per_level.back() += 1;
    d.depth_per_level.back() = std::max(d.depth_per_level.back(), read_attention(block + "1."));
  }
  if (u.channel_mult.empty()) {
    throw Error(ErrorCode::MissingTensor, cat(kUNet, "input_blocks.1.0.out_layers.3.weight") +
                                              ": needed to detect the UNet levels, not found in " + s.culprit());
  }
  u.num_res_blocks = d.res_per_level.front();
  int max_depth = 0;
  for (std::size_t level = 0; level < u.channel_mult.size(); ++level) {
    if (d.res_per_level[level] != u.num_res_blocks) d.uniform_res = false;
    if (d.depth_per_level[level] > 0) {
      u.attention_levels.push_back(static_cast<int>(level));
      if (max_depth > 0 && d.depth_per_level[level] != max_depth) d.uniform_depth = false;
      max_depth = std::max(max_depth, d.depth_per_level[level]);
    }
  }
  d.middle_depth = read_attention(cat(kUNet, "middle_block.1."));
  if (d.middle_depth > 0 && max_depth > 0 && d.middle_depth != max_depth) d.uniform_depth = false;
  u.transformer_depth = std::max(max_depth, d.middle_depth);
  d.label_emb = s.has_prefix(cat(kUNet, "label_emb."));
  return d;
}

// HF CLIPTextModel layout under `prefix` (…text_model.).
TextEncoderConfig detect_clip(const ShapeLookup& s, std::string_view prefix) {
  TextEncoderConfig t;
  t.prefix = std::string(prefix);
  const auto& tok = s.need(cat(prefix, "embeddings.token_embedding.weight"), 2);
  t.vocab_size = static_cast<int>(tok[0]);
  t.width = static_cast<int>(tok[1]);
  t.max_positions = static_cast<int>(s.need(cat(prefix, "embeddings.position_embedding.weight"), 2)[0]);
  t.layers = s.count_indices(cat(prefix, "encoder.layers."));
  t.mlp_width = static_cast<int>(s.need(cat(prefix, "encoder.layers.0.mlp.fc1.weight"), 2)[0]);
  return t;
}

// open_clip TextTransformer layout under `prefix` (…model.): fused in_proj, exact GELU, pad 0.
TextEncoderConfig detect_openclip(const ShapeLookup& s, std::string_view prefix) {
  TextEncoderConfig t;
  t.prefix = std::string(prefix);
  t.layout = TextLayout::OpenCLIP;
  const auto& tok = s.need(cat(prefix, "token_embedding.weight"), 2);
  t.vocab_size = static_cast<int>(tok[0]);
  t.width = static_cast<int>(tok[1]);
  t.max_positions = static_cast<int>(s.need(cat(prefix, "positional_embedding"), 2)[0]);
  t.layers = s.count_indices(cat(prefix, "transformer.resblocks."));
  t.mlp_width = static_cast<int>(s.need(cat(prefix, "transformer.resblocks.0.mlp.c_fc.weight"), 2)[0]);
  if (const auto* proj = s.find(cat(prefix, "text_projection")); proj && proj->size() == 2) {
    t.projection_dim = static_cast<int>((*proj)[1]);  // stored [width, proj], used as x @ P
  }
  t.quick_gelu = false;
  t.pad_id = 0;
  return t;
}

// bigG in HF layout (diffusers text_encoder_2): exact GELU, pad 0 like OpenCLIP; projection [P, C].
TextEncoderConfig detect_hf_big_g(const ShapeLookup& s) {
  TextEncoderConfig t = detect_clip(s, kBigGHF);
  t.quick_gelu = false;
  t.pad_id = 0;
  if (const auto* proj = s.find(std::string(kBigGHFProjection)); proj && proj->size() == 2) {
    t.projection_dim = static_cast<int>((*proj)[0]);
  }
  return t;
}

// SDXL's bigG wherever it is: OpenCLIP under `openclip_prefix`, else HF from a diffusers folder.
std::optional<TextEncoderConfig> detect_big_g(const ShapeLookup& s, std::string_view openclip_prefix) {
  if (s.has_prefix(openclip_prefix)) return detect_openclip(s, openclip_prefix);
  if (s.has_prefix(kBigGHF)) return detect_hf_big_g(s);
  return std::nullopt;
}

VAEConfig detect_vae(const ShapeLookup& s) {
  VAEConfig v;
  const auto& conv_in = s.need(cat(kVAE, "encoder.conv_in.weight"), 4);  // [ch, 3, 3, 3]
  v.base_channels = static_cast<int>(conv_in[0]);
  v.in_channels = static_cast<int>(conv_in[1]);
  const int levels = s.count_indices(cat(kVAE, "encoder.down."));
  v.channel_mult.clear();
  for (int i = 0; i < levels; ++i) {
    const auto& w = s.need(cat(cat(kVAE, "encoder.down."), i, ".block.0.conv2.weight"), 4);
    v.channel_mult.push_back(static_cast<int>(w[0] / v.base_channels));
  }
  v.num_res_blocks = s.count_indices(cat(kVAE, "encoder.down.0.block."));
  v.latent_channels = static_cast<int>(s.need(cat(kVAE, "decoder.conv_in.weight"), 4)[1]);
  return v;
}

// Heads: the hint first, then the convention (CLIP/OpenCLIP: 64 channels per head).
void choose_text_heads(TextEncoderConfig& t, std::optional<int> hint, const std::string& source,
                       std::vector<std::string>& notes) {
  const std::string which = "text encoder " + t.prefix.substr(0, t.prefix.size() - 1);
  if (hint) {
    t.heads = *hint;
    notes.push_back(which + ": " + std::to_string(t.heads) + " heads from " + source + " (not in the shapes)");
  } else if (t.width >= 64 && t.width % 64 == 0) {
    t.heads = t.width / 64;
    notes.push_back(which + ": " + std::to_string(t.heads) + " heads = width/64 (CLIP convention; not in the shapes)");
  } else {
    t.heads = 1;
    notes.push_back(which + ": heads unknown, width " + std::to_string(t.width) +
                    " is not a multiple of 64 and no config says; assumed 1 (add a config.json)");
  }
}

void choose_unet_heads(UNetConfig& u, ModelFamily family, const ModelHints& hints, std::vector<std::string>& notes) {
  if (hints.unet_num_heads) {
    u.num_heads = *hints.unet_num_heads;
    u.head_dim = -1;
    notes.push_back("UNet heads: " + std::to_string(u.num_heads) + " per transformer, from " + hints.source);
  } else if (hints.unet_head_dim) {
    u.num_heads = -1;
    u.head_dim = *hints.unet_head_dim;
    notes.push_back("UNet heads: " + std::to_string(u.head_dim) + " channels per head, from " + hints.source);
  } else if (family == ModelFamily::SD1) {
    u.num_heads = 8;
    u.head_dim = -1;
    notes.push_back("UNet heads: 8 per transformer (SD 1.x convention; head count is not in the shapes)");
  } else {
    u.num_heads = -1;
    u.head_dim = 64;
    notes.push_back("UNet heads: 64 channels per head (SD 2.x/SDXL convention; not in the shapes)");
  }
}

// Returns an empty string when the numbers are consistent, else why not.
std::string check_unet(const UNetConfig& u) {
  for (int level : u.attention_levels) {
    const int ch = u.model_channels * u.channel_mult[static_cast<std::size_t>(level)];
    if (u.num_heads > 0 ? ch % u.num_heads != 0 : (u.head_dim <= 0 || ch % u.head_dim != 0)) {
      return "UNet level " + std::to_string(level) + " has " + std::to_string(ch) +
             " channels, not divisible into the configured heads";
    }
  }
  if (u.model_channels % u.norm_groups != 0) {
    return "UNet model_channels " + std::to_string(u.model_channels) + " is not a multiple of " +
           std::to_string(u.norm_groups) + " (GroupNorm groups)";
  }
  return {};
}

std::string variant_name(ModelFamily family, const UNetDetection& d, int in, bool refiner) {
  if (family == ModelFamily::SDXL) {
    if (refiner) return "refiner";
    return in == 9 ? "inpainting" : in == 4 ? "base" : "unknown (UNet in_channels " + std::to_string(in) + ")";
  }
  if (family == ModelFamily::SD2 && d.label_emb) return "unclip";
  switch (in) {
    case 4: return "txt2img";
    case 9: return "inpainting";
    case 8: return "instruct-pix2pix";
    case 5: return "depth";
    case 7: return "x4-upscaler";
    default: return "unknown (UNet in_channels " + std::to_string(in) + ")";
  }
}

// The text encoders of each family, with the layers and norms their context uses.
void detect_text_encoders(const ShapeLookup& s, const ModelHints& hints, ModelConfig& cfg,
                          const std::function<void(std::string)>& refuse) {
  auto missing = [&](std::string_view prefix, std::string_view what) {
    refuse("no " + std::string(what) + " (" + std::string(prefix) + "*) in " + s.culprit() +
           "; Strata needs a complete checkpoint");
  };
  switch (cfg.family) {
    case ModelFamily::SD1:
    case ModelFamily::Unknown:
      if (!s.has_prefix(kCLIP)) return missing(kCLIP, "text encoder");
      cfg.text = detect_clip(s, kCLIP);
      if (hints.text_quick_gelu) cfg.text.quick_gelu = *hints.text_quick_gelu;
      choose_text_heads(cfg.text, hints.text_heads, hints.source, cfg.notes);
      return;
    case ModelFamily::SD2:
      if (s.has_prefix(kOpenCLIP)) {
        cfg.text = detect_openclip(s, kOpenCLIP);
        cfg.text.skip_layers = 1;  // penultimate block of the stored tower, then ln_final
      } else if (s.has_prefix(kCLIP)) {
        // Converted from diffusers: the tower is stored already cut to the layers SD 2.x uses.
        cfg.text = detect_clip(s, kCLIP);
        cfg.text.quick_gelu = hints.text_quick_gelu.value_or(false);
        cfg.text.pad_id = 0;
      } else {
        return missing(kOpenCLIP, "OpenCLIP text encoder");
      }
      choose_text_heads(cfg.text, hints.text_heads, hints.source, cfg.notes);
      return;
    case ModelFamily::SDXL: {
      if (refiner_markers(s)) {
        cfg.text = *detect_big_g(s, kRefinerBigG);
        choose_text_heads(cfg.text, hints.text2_heads ? hints.text2_heads : hints.text_heads, hints.source, cfg.notes);
      } else {
        if (!s.has_prefix(kSDXLCLIP)) return missing(kSDXLCLIP, "CLIP-L text encoder");
        auto big_g = detect_big_g(s, kSDXLBigG);
        if (!big_g) return missing(kSDXLBigG, "OpenCLIP bigG text encoder");
        cfg.text = detect_clip(s, kSDXLCLIP);
        if (hints.text_quick_gelu) cfg.text.quick_gelu = *hints.text_quick_gelu;
        choose_text_heads(cfg.text, hints.text_heads, hints.source, cfg.notes);
        cfg.text.skip_layers = 1;
        cfg.text.context_final_norm = false;
        cfg.text2 = std::move(big_g);
        choose_text_heads(*cfg.text2, hints.text2_heads, hints.source, cfg.notes);
      }
      TextEncoderConfig& big_g = cfg.text2 ? *cfg.text2 : cfg.text;
      big_g.skip_layers = 1;  // penultimate, no ln_final; the pooled output uses the last block + ln_final
      big_g.context_final_norm = false;
      if (big_g.projection_dim <= 0) refuse(big_g.prefix + "text_projection: missing from " + s.culprit());
      return;
    }
  }
}

// SDXL's added conditioning: y = [pooled (projection_dim), ids × adm_time_dim] → label_emb.
void detect_adm(const ShapeLookup& s, ModelConfig& cfg, const std::function<void(std::string)>& refuse) {
  const auto& w = s.need(cat(kUNet, "label_emb.0.0.weight"), 2);  // [temb, adm_in]
  const int adm_in = static_cast<int>(w[1]);
  const TextEncoderConfig& big_g = cfg.text2 ? *cfg.text2 : cfg.text;
  const int ids = cfg.variant == "refiner" ? 5 : 6;
  const int rest = adm_in - big_g.projection_dim;
  if (rest <= 0 || rest % ids != 0 || (rest / ids) % 2 != 0) {
    return refuse(cat(kUNet, "label_emb.0.0.weight") + " takes " + std::to_string(adm_in) +
                  " inputs: not the pooled text embedding (" + std::to_string(big_g.projection_dim) + ") + " +
                  std::to_string(ids) + " size/crop ids");
  }
  cfg.unet.adm_in_channels = adm_in;
  cfg.unet.adm_time_ids = ids;
  cfg.unet.adm_time_dim = rest / ids;
}

// Text encoders, VAE and the checks that decide whether Strata can run the model.
void detect_components(const ShapeLookup& s, const UNetDetection& d, const ModelHints& hints, ModelConfig& cfg) {
  const bool xl = cfg.family == ModelFamily::SDXL;
  cfg.variant = variant_name(cfg.family, d, cfg.unet.in_channels, xl && refiner_markers(s));
  cfg.supported = true;
  const std::function<void(std::string)> refuse = [&](std::string why) {
    if (cfg.supported) cfg.reason = std::move(why);
    cfg.supported = false;
  };
  if (cfg.unet.in_channels != 4 && cfg.unet.in_channels != 9) {
    refuse(std::string(to_string(cfg.family)) + " " + cfg.variant + " UNet (in_channels " +
           std::to_string(cfg.unet.in_channels) +
           ") is not supported; Strata runs 4-channel (txt2img) and 9-channel (inpainting) UNets");
  }
  if (!d.uniform_res) refuse("UNet with different res-block counts per level " + list_string(d.res_per_level));
  if (d.middle_depth == 0) refuse("UNet without a middle-block transformer");
  if (!d.uniform_depth) {
    cfg.unet.depth_per_level = d.depth_per_level;
    cfg.unet.middle_depth = d.middle_depth;
    cfg.notes.push_back("transformer depth per level " + list_string(d.depth_per_level) + ", middle block " +
                        std::to_string(d.middle_depth));
  }
  if (d.label_emb && !xl) refuse("UNet with a class embedding (label_emb): SD 2.x unCLIP is not supported");
  if (xl && !d.label_emb) refuse("SDXL UNet without its added-conditioning embedding (label_emb)");
  detect_text_encoders(s, hints, cfg, refuse);
  if (cfg.supported) {
    int width = cfg.text.width + (cfg.text2 ? cfg.text2->width : 0);
    if (width != cfg.unet.context_dim) {
      refuse("text encoder width " + std::to_string(width) + " differs from the UNet context dim " +
             std::to_string(cfg.unet.context_dim));
    }
    for (const auto* t : {&cfg.text, cfg.text2 ? &*cfg.text2 : nullptr}) {
      if (t == nullptr) continue;
      if (t->width % t->heads != 0) refuse(t->prefix + ": width not divisible by its head count");
      if (t->layers <= t->skip_layers) refuse(t->prefix + ": " + std::to_string(t->layers) + " layers, too few");
    }
  }
  if (xl && d.label_emb && cfg.supported) detect_adm(s, cfg, refuse);
  if (s.has_prefix(kVAE)) {
    cfg.vae = detect_vae(s);
  } else {
    refuse("no VAE (first_stage_model.*) in " + s.culprit() + "; Strata needs a complete checkpoint");
  }
  if (xl) cfg.vae.scale_factor = 0.13025f;
  if (hints.vae_norm_groups) cfg.vae.norm_groups = *hints.vae_norm_groups;
  if (hints.unet_norm_groups) cfg.unet.norm_groups = *hints.unet_norm_groups;
  if (hints.vae_norm_groups || hints.unet_norm_groups) {
    cfg.notes.push_back("GroupNorm groups: VAE " + std::to_string(cfg.vae.norm_groups) + ", UNet " +
                        std::to_string(cfg.unet.norm_groups) + " from " + hints.source);
  }
  if (hints.vae_scale_factor) {
    cfg.vae.scale_factor = *hints.vae_scale_factor;
    cfg.notes.push_back("VAE scale factor " + std::to_string(cfg.vae.scale_factor) + " from " + hints.source);
  }
  if (hints.latent_rgb) cfg.vae.latent_rgb = *hints.latent_rgb;
  cfg.leading_spacing = hints.leading_spacing.value_or(xl);
  if (cfg.family == ModelFamily::SD2 && !cfg.prediction_from_hint) {
    cfg.notes.push_back("prediction type is not in the shapes: SD 2.x 768-v checkpoints use v-prediction, "
                        "512-base ones epsilon (the tensors are identical); measured when the model loads, or set "
                        "with --prediction");
  }
  if (auto why = check_unet(cfg.unet); !why.empty()) refuse(why);
}

}  // namespace

ModelConfig ModelConfig::detect(const TensorIndex& index) { return detect(index, ModelHints{}); }

void ModelConfig::override_prediction(Prediction user) {
  if (prediction_from_hint && user != prediction) {
    notes.push_back("warning: prediction type " + std::string(to_string(user)) + " set by the user, although the " +
                    "model states " + std::string(to_string(prediction)) + "; using " + std::string(to_string(user)));
  } else {
    notes.push_back("prediction type " + std::string(to_string(user)) + " set by the user");
  }
  prediction = user;
  prediction_from_user = true;
  if (family == ModelFamily::SD2 && !native_size_from_hint) native_size = user == Prediction::VPrediction ? 768 : 512;
}

ModelConfig ModelConfig::detect(const TensorIndex& index, const ModelHints& given) {
  ModelHints hints = given;
  hints.fill_from(ModelHints::from_metadata(index.metadata()));
  ShapeLookup s(index);
  if (!s.has_prefix(kUNet)) {
    throw Error(ErrorCode::UnsupportedModel,
                s.culprit() + ": not a Stable Diffusion checkpoint: none of its " + std::to_string(index.size()) +
                    " tensors is a UNet weight (model.diffusion_model.*)");
  }
  ModelConfig cfg;
  UNetDetection d = detect_unet(s);
  cfg.unet = d.config;

  const bool sdxl_markers = s.has_prefix("conditioner.embedders.") ||
                            (d.label_emb && !s.has_prefix(kOpenCLIP)) || cfg.unet.context_dim == 2048;
  // SD 1.x UNets project with 1×1 convs; every SD 2.x one (and SDXL's) with Linear layers.
  const bool sd2_markers = s.has_prefix(kOpenCLIP) || cfg.unet.linear_proj;
  if (sdxl_markers || hints.family == ModelFamily::SDXL) {
    cfg.family = ModelFamily::SDXL;
  } else if (sd2_markers || hints.family == ModelFamily::SD2) {
    cfg.family = ModelFamily::SD2;
  } else {
    cfg.family = ModelFamily::SD1;
  }
  if (hints.prediction) {
    cfg.prediction = *hints.prediction;
    cfg.prediction_from_hint = true;
    cfg.notes.push_back("prediction type " + std::string(to_string(cfg.prediction)) + " from " + hints.source);
  }
  choose_unet_heads(cfg.unet, cfg.family, hints, cfg.notes);
  if (cfg.family == ModelFamily::SDXL) {
    cfg.native_size = 1024;
  } else if (cfg.family == ModelFamily::SD2 && cfg.prediction == Prediction::VPrediction) {
    cfg.native_size = 768;
  }
  if (hints.native_size) {
    cfg.native_size = *hints.native_size;
    cfg.native_size_from_hint = true;
  }
  detect_components(s, d, hints, cfg);
  return cfg;
}

}  // namespace strata::diffusion
