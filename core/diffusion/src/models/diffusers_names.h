// diffusers_names.h (private) — THE table between diffusers folder names and single-file keys.
//
// A diffusers folder stores each component under its own names (unet/: "down_blocks.0.resnets.1.
// conv1.weight", vae/: "encoder.mid_block.attentions.0.to_q.weight", text_encoder/: "text_model.…").
// Strata's modules are named like single-file checkpoints ("model.diffusion_model.input_blocks.2.0.
// in_layers.2.weight", …). Every rename lives in diffusers_names.cpp, in one table used in both
// directions, so the mapping is a bijection by construction (the tests round-trip it).
//
// The UNet/VAE block numbering depends on the number of levels, res blocks per level and which
// up blocks carry attention: DiffusersLayout holds those counts, read from the diffusers keys
// (layout_from_diffusers_keys) or from a detected config (layout_from_config).
//
// One rename also changes the shape: the VAE mid-block attention q/k/v/proj_out are Linear [C, C]
// in diffusers and 1×1 convs [C, C, 1, 1] in single files (the bytes are identical).
// Thread-safety: pure functions over immutable tables.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/diffusion/model_config.h"

namespace strata::diffusion::models {

enum class DiffusersComponent { UNet, VAE, TextEncoder, TextEncoder2 };

std::string_view folder_name(DiffusersComponent component);  // "unet", "vae", "text_encoder", …

struct DiffusersLayout {
  int unet_levels = 4;                     // down_blocks
  int unet_res_blocks = 2;                 // layers_per_block
  std::vector<bool> unet_down_attention{true, true, true, false};  // per down block
  std::vector<bool> unet_up_attention{false, true, true, true};    // per up block (low res first)
  int vae_levels = 4;
  int vae_res_blocks = 2;
  bool sdxl = false;                       // text encoders go under conditioner.embedders.N
};

// Counts from the diffusers key names of the UNet and VAE files.
DiffusersLayout layout_from_diffusers_keys(const std::vector<std::string>& unet_keys,
                                           const std::vector<std::string>& vae_keys);
// The layout a diffusers export of this architecture would have.
DiffusersLayout layout_from_config(const ModelConfig& config);

struct MappedName {
  std::string name;           // the other side's key
  bool conv1x1 = false;       // diffusers Linear [C, C] ↔ single-file 1×1 conv [C, C, 1, 1]
};

// diffusers key of `component` → single-file key. Keys no rule covers keep their name under the
// component's prefix (so the loader reports them as unexpected, recognisably).
MappedName to_single_file(DiffusersComponent component, std::string_view key, const DiffusersLayout& layout);

// single-file key → (component, diffusers key); nullopt for keys no component owns (DDPM buffers,
// model_ema.*). Used to write diffusers folders in tests.
std::optional<std::pair<DiffusersComponent, MappedName>> to_diffusers(std::string_view key,
                                                                       const DiffusersLayout& layout);

}  // namespace strata::diffusion::models
