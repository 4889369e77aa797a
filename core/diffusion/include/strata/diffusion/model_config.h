// strata/diffusion/model_config.h — architecture descriptions, detected from tensor names and shapes.
//
// Configs are data: the same UNet / VAE / text-encoder classes serve SD 1.x, the embedded model and
// (later) SD 2.x / SDXL. ModelConfig::detect() derives every number from a TensorIndex whose keys
// are single-file checkpoint keys (diffusers folders are renamed to those first). Torch-free.
// Thread-safety: plain values; detect() only reads the index and may run on any thread.
//
// What the shapes do NOT say, and where it comes from instead (ModelHints, then convention):
//   * attention head counts. SD 1.x: 8 heads in every UNet transformer (head dim = C/8); SD 2.x /
//     SDXL: 64 channels per head. CLIP text encoders: width/64 heads (CLIP-L 768 → 12).
//   * prediction type (epsilon vs v). SD 2.x 768-v and 512-base have identical tensors.
//   * activation (quick_gelu for CLIP-L, gelu for OpenCLIP), GroupNorm groups (32).
// Hints are read from the file's __metadata__ (keys below), a config.json next to the file (this
// kit's / ldm / diffusers layouts) or a diffusers folder's unet/, text_encoder/, scheduler/ configs.
//   __metadata__ keys: "strata.unet.num_heads", "strata.unet.head_dim", "strata.text_encoder.heads",
//   "strata.native_size", "strata.vae.scale_factor", "strata.vae.norm_groups", "strata.unet.norm_groups",
//   "strata.preview.latent_rgb" (the preview's latent→RGB projection: a JSON array of 15 numbers,
//   the 4×3 matrix row by row then the RGB bias), "strata.prediction" ("epsilon" | "v"), "modelspec.prediction_type", "modelspec.architecture"
//   (a "-v" suffix, e.g. "stable-diffusion-v2-768-v", means v-prediction), "ss_v_parameterization".
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/diffusion/tensor_index.h"
#include "strata/doc/names.h"

namespace strata::diffusion {

enum class ModelFamily { SD1, SD2, SDXL, Unknown };
std::string_view to_string(ModelFamily family);

enum class Prediction { Epsilon, VPrediction };
std::string_view to_string(Prediction prediction);  // "epsilon", "v"
// The one name table (CLI --prediction, settings, metadata, the GUI's model settings).
inline constexpr std::array<doc::Named<Prediction>, 4> kPredictions{{
    {Prediction::Epsilon, "epsilon", "ε (epsilon)"},
    {Prediction::VPrediction, "v", "v-prediction"},
    {Prediction::Epsilon, "eps", "ε (epsilon)", false},
    {Prediction::VPrediction, "v_prediction", "v-prediction", false},
}};

struct UNetConfig {
  int in_channels = 4;                    // 9 for inpainting checkpoints
  int out_channels = 4;
  int model_channels = 320;               // base channels
  std::vector<int> channel_mult{1, 2, 4, 4};
  int num_res_blocks = 2;
  std::vector<int> attention_levels{0, 1, 2};  // levels (index into channel_mult) with transformers
  int num_heads = 8;                      // fixed head count (SD1), or -1 when head_dim is used
  int head_dim = -1;                      // fixed channels per head (SD2/SDXL: 64), or -1
  int transformer_depth = 1;              // the depth of every level with attention and the middle block,
  std::vector<int> depth_per_level;       // unless set: one entry per level (SDXL [0,2,10]; 0 = no attention)
  int middle_depth = 0;                   // middle block's depth when depth_per_level is set (SDXL: 10)
  int context_dim = 768;
  // SDXL's added conditioning (label_emb): y = [pooled text embedding, sinusoidal embeddings of the
  // size/crop/aesthetic ids (adm_time_ids of adm_time_dim each)] → MLP → added to the time embedding.
  int adm_in_channels = 0;                // 0 = none (SD 1.x / 2.x)
  int adm_time_dim = 0;                   // width of one id's embedding (SDXL 256)
  int adm_time_ids = 0;                   // 6 (base: size, crop, target) or 5 (refiner: size, crop, aesthetic)
  bool linear_proj = false;               // proj_in/out as Linear (SD2/SDXL) instead of 1×1 conv
  int norm_groups = 32;
  int time_embed_dim() const { return model_channels * 4; }
  int heads_at(int channels) const { return num_heads > 0 ? num_heads : channels / head_dim; }
  int depth_at(int level) const {
    return depth_per_level.empty() ? transformer_depth : depth_per_level[static_cast<std::size_t>(level)];
  }
  int middle_depth_or_default() const { return depth_per_level.empty() ? transformer_depth : middle_depth; }
};

// How a text encoder's tensors are named: Hugging Face CLIPTextModel (q/k/v_proj, fc1/fc2,
// final_layer_norm) or OpenCLIP (fused attn.in_proj, c_fc/c_proj, ln_final, text_projection).
enum class TextLayout { HuggingFace, OpenCLIP };

struct TextEncoderConfig {
  int vocab_size = 49408;
  int max_positions = 77;
  int width = 768;
  int layers = 12;
  int heads = 12;
  int mlp_width = 3072;
  bool quick_gelu = true;                 // CLIP-L uses quick_gelu; OpenCLIP uses gelu
  int bos_id = 49406;
  int eos_id = 49407;
  int pad_id = 49407;                     // SD1 pads with EOS
  TextLayout layout = TextLayout::HuggingFace;
  std::string prefix = "cond_stage_model.transformer.text_model.";  // checkpoint key prefix
  // The context is hidden_states[-(clip_skip + skip_layers)]: SD 1.x 0 (the last layer); SD 2.x
  // and SDXL 1 (the penultimate layer of the stored tower).
  int skip_layers = 0;
  bool context_final_norm = true;         // final LayerNorm on the context (SD 1.x/2.x yes, SDXL no)
  int projection_dim = 0;                 // text_projection's output width (pooled embedding); 0 = none
};

struct VAEConfig {
  int in_channels = 3;
  int base_channels = 128;
  std::vector<int> channel_mult{1, 2, 4, 4};
  int num_res_blocks = 2;
  int latent_channels = 4;
  int norm_groups = 32;
  float scale_factor = 0.18215f;          // UNet-space latent = VAE latent × scale_factor
  // Linear preview: UNet-space latent (4 channels) → RGB in [-1, 1], 15 numbers (4×3 matrix row by
  // row, then the bias) when the model file stores them ("strata.preview.latent_rgb"); else empty.
  std::vector<float> latent_rgb;
  int downsample_factor() const { return 1 << (static_cast<int>(channel_mult.size()) - 1); }
};

// Architectural numbers that are not in the tensor shapes, from configs or metadata. Every field is
// optional: unset means "use the family's convention".
struct ModelHints {
  std::optional<int> unet_num_heads;      // fixed head count per transformer (SD1 style)
  std::optional<int> unet_head_dim;       // fixed channels per head (SD2/SDXL style)
  std::optional<int> text_heads;          // text encoder attention heads
  std::optional<bool> text_quick_gelu;    // text encoder activation
  std::optional<int> text2_heads;         // SDXL's second text encoder (diffusers text_encoder_2)
  std::optional<bool> leading_spacing;    // scheduler json timestep_spacing == "leading" (SDXL)
  std::optional<Prediction> prediction;
  std::optional<ModelFamily> family;      // e.g. from a diffusers model_index.json pipeline class
  std::optional<int> native_size;         // training resolution in pixels ("strata.native_size")
  std::optional<float> vae_scale_factor;  // latent scale ("strata.vae.scale_factor", diffusers vae scaling_factor)
  std::optional<int> vae_norm_groups;     // GroupNorm groups ("strata.vae.norm_groups"; SD: 32)
  std::optional<int> unet_norm_groups;    // GroupNorm groups ("strata.unet.norm_groups"; SD: 32)
  std::optional<std::vector<float>> latent_rgb;  // preview projection ("strata.preview.latent_rgb", 15 numbers)
  std::string source;                     // where the hints came from ("config.json", …), for notes

  // Fills every unset field from `other`.
  void fill_from(const ModelHints& other);
  // Hints from a safetensors __metadata__ map (keys listed in the file comment).
  static ModelHints from_metadata(const std::map<std::string, std::string>& metadata);
};

struct ModelConfig {
  ModelFamily family = ModelFamily::Unknown;
  std::string variant;                    // "txt2img", "inpainting"
  bool supported = false;                 // Strata can run it
  std::string reason;                     // why not, when !supported
  Prediction prediction = Prediction::Epsilon;
  bool prediction_from_hint = false;      // prediction came from a hint, not the default
  bool prediction_from_user = false;      // override_prediction() set it
  bool native_size_from_hint = false;
  // Training resolution (pixels per side): SD1 512, SD2 768 (v) / 512, SDXL 1024, or the hint.
  // "Scale before processing" generates near native_size² pixels and resizes back.
  int native_size = 512;
  UNetConfig unet;
  TextEncoderConfig text;                 // the (first) text encoder: SD1 CLIP-L, SD2 OpenCLIP-H, SDXL CLIP-L
  std::optional<TextEncoderConfig> text2; // SDXL base: OpenCLIP bigG (its pooled output conditions the UNet)
  // Timestep spacing the model's scheduler config states for every sampler ("leading" for SDXL);
  // unset: each sampler's own default (SD 1.x / 2.x json).
  bool leading_spacing = false;
  VAEConfig vae;
  // Human-readable remarks: where numbers that are not in the shapes came from, per-level values
  // the config cannot hold (SDXL transformer depths), the second SDXL text encoder, …
  std::vector<std::string> notes;

  // Derives the architecture from names and shapes. Throws doc::Error(UnsupportedModel) when the
  // tensors are not a diffusion checkpoint at all (naming the file), MissingTensor when a tensor
  // the detection needs is absent. SD 2.x and SDXL are returned with supported = false and a
  // reason ("recognised as SDXL, not supported yet"); they are never mis-detected as SD 1.x.
  // The overload with hints uses them first, then the index's __metadata__, then convention.
  // The user's prediction type (CLI --prediction, the GUI's model settings): obeyed; a note says
  // when it contradicts what the model's own config/metadata states. An SD 2.x model's default
  // native size follows (v: 768, ε: 512) unless a hint gave it.
  void override_prediction(Prediction user);

  static ModelConfig detect(const TensorIndex& index);
  static ModelConfig detect(const TensorIndex& index, const ModelHints& hints);
};

}  // namespace strata::diffusion
