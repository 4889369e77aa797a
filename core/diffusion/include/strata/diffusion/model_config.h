// strata/diffusion/model_config.h — architecture descriptions, detected from tensor names and shapes.
//
// Configs are data: the same UNet / VAE / text-encoder classes serve SD 1.x, the embedded model and
// (later) SD 2.x / SDXL. ModelConfig::detect() derives every number from a TensorIndex whose keys
// are single-file checkpoint keys (diffusers folders are renamed to those first). Torch-free.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "strata/diffusion/tensor_index.h"

namespace strata::diffusion {

enum class ModelFamily { SD1, SD2, SDXL, Unknown };
std::string_view to_string(ModelFamily family);

enum class Prediction { Epsilon, VPrediction };

struct UNetConfig {
  int in_channels = 4;                    // 9 for inpainting checkpoints
  int out_channels = 4;
  int model_channels = 320;               // base channels
  std::vector<int> channel_mult{1, 2, 4, 4};
  int num_res_blocks = 2;
  std::vector<int> attention_levels{0, 1, 2};  // levels (index into channel_mult) with transformers
  int num_heads = 8;                      // fixed head count (SD1), or -1 when head_dim is used
  int head_dim = -1;                      // fixed channels per head (SD2/SDXL: 64), or -1
  int transformer_depth = 1;
  int context_dim = 768;
  bool linear_proj = false;               // proj_in/out as Linear (SD2/SDXL) instead of 1×1 conv
  int norm_groups = 32;
  int time_embed_dim() const { return model_channels * 4; }
  int heads_at(int channels) const { return num_heads > 0 ? num_heads : channels / head_dim; }
};

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
};

struct VAEConfig {
  int in_channels = 3;
  int base_channels = 128;
  std::vector<int> channel_mult{1, 2, 4, 4};
  int num_res_blocks = 2;
  int latent_channels = 4;
  int norm_groups = 32;
  float scale_factor = 0.18215f;          // UNet-space latent = VAE latent × scale_factor
  int downsample_factor() const { return 1 << (static_cast<int>(channel_mult.size()) - 1); }
};

struct ModelConfig {
  ModelFamily family = ModelFamily::Unknown;
  std::string variant;                    // "txt2img", "inpainting"
  bool supported = false;                 // Strata can run it
  std::string reason;                     // why not, when !supported
  Prediction prediction = Prediction::Epsilon;
  UNetConfig unet;
  TextEncoderConfig text;
  VAEConfig vae;

  // Derives the architecture from names and shapes. Throws doc::Error(UnsupportedModel) when the
  // tensors are not a diffusion checkpoint at all (naming the file); SD 2.x and SDXL are returned
  // with supported = false and a reason ("recognised, not supported yet").
  static ModelConfig detect(const TensorIndex& index);
};

}  // namespace strata::diffusion
