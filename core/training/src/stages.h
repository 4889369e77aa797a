// stages.h (private) — the two training stages that train() runs in order.
#pragma once

#include <cstdint>
#include <vector>

#include "networks/clip_text_model.h"
#include "networks/vae.h"
#include "strata/diffusion/tokenizer.h"
#include "strata/training/training.h"
#include "strata/scenes/scene.h"
#include "state.h"
#include "unet/unet.h"

namespace strata::training {

struct StageContext {
  const TrainOptions& options;
  const TrainHooks& hooks;
  TrainResult& result;
  std::int64_t global_offset = 0;   // steps of earlier stages (for options.stop_at_step)

  // True when the run must stop after `stage_step` steps of the current stage.
  bool must_stop(std::int64_t stage_step) const;
  void message(const std::string& text) const;
};

// Trains the VAE (or restores it from checkpoints/vae.safetensors) and measures the latent scale
// factor. Returns false when stopped before the end; result.scale_factor is set when it returns true.
bool run_vae_stage(StageContext& ctx, diffusion::AutoencoderKL& vae);

// Trains text encoder + UNet on the frozen VAE's latents and exports the model.
bool run_ldm_stage(StageContext& ctx, diffusion::AutoencoderKL& vae, float scale_factor, const diffusion::Tokenizer& tokenizer);

// Per-latent-pixel loss weights of TrainOptions::shape_loss_weight for latents of side × side:
// 1 + weight · (shape coverage dilated by one pixel), normalised to a mean of 1 per image.
// → [B, 1, side, side] float32 on the CPU
torch::Tensor shape_loss_weights(const std::vector<scenes::Scene>& shown, std::int64_t side, float weight);

// Images of a batch as a tensor in [-1, 1]. → [B, 3, S, S] float32 on the CPU
torch::Tensor images_tensor(const struct SceneBatch& batch);

}  // namespace strata::training
