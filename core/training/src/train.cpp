// train.cpp — train(): options check, tokenizer, the two stages in order.
#include <torch/torch.h>

#include "cpu_threads.h"
#include "strata/diffusion/sentencepiece_tokenizer.h"
#include "strata/doc/error.h"
#include "stages.h"

namespace strata::training {

bool StageContext::must_stop(std::int64_t stage_step) const {
  if (options.stop_at_step >= 0 && global_offset + stage_step >= options.stop_at_step) return true;
  return hooks.should_stop && hooks.should_stop();
}

void StageContext::message(const std::string& text) const {
  if (hooks.on_message) hooks.on_message(text);
}

namespace {

void check_options(const TrainOptions& o) {
  auto bad = [](const std::string& what) { throw doc::Error(doc::ErrorCode::InvalidArgument, what); };
  if (o.out_dir.empty()) bad("training: an output folder is required");
  if (o.image_size < 16 || o.image_size % 8 != 0) bad("--size: expected a multiple of 8, at least 16");
  if (o.vae_crop < 8 || o.vae_crop % 8 != 0 || o.vae_crop > o.image_size) {
    bad("--vae-crop: expected a multiple of 8 between 8 and the image size");
  }
  if (o.vae_channel_mult.size() != 4) bad("VAE channel_mult: expected 4 levels (8x down-sampling)");
  if (o.vae_base_channels % o.vae_norm_groups != 0 || o.unet_channels % o.unet_norm_groups != 0) {
    bad("channel counts: expected multiples of the GroupNorm groups");
  }
  if (o.text_width % o.text_heads != 0) bad("text width: expected a multiple of the head count");
  for (int level : o.unet_attention_levels) {
    if (level < 0 || level >= static_cast<int>(o.unet_channel_mult.size())) bad("UNet attention level out of range");
    if ((o.unet_channels * o.unet_channel_mult[static_cast<std::size_t>(level)]) % o.unet_heads != 0) {
      bad("UNet heads: every attention level's channels must divide into the heads");
    }
  }
  if (o.shape_loss_weight < 0.f) bad("--shape-loss-weight: expected 0 or more");
  if (o.ldm_lr_final > o.ldm_lr) bad("--ldm-lr-final: expected at most --ldm-lr (it is where the decay ends)");
  if (o.vae_steps < 0 || o.ldm_steps < 0 || o.vae_batch < 1 || o.ldm_batch < 1) bad("steps and batch sizes must be positive");
  if (o.device == diffusion::Device::CUDA && !torch::cuda::is_available()) bad("--device cuda: no CUDA device available to this libtorch");
}

}  // namespace

bool uses_bf16(const TrainOptions& options) {
  switch (options.precision) {
    case TrainPrecision::BF16: return true;
    case TrainPrecision::FP32: return false;
    case TrainPrecision::Auto: break;
  }
  return diffusion::bf16_sums_in_fp32(options.device);
}

TrainResult train(const TrainOptions& options, const TrainHooks& hooks) {
  check_options(options);
  diffusion::configure_cpu_threads(options.threads);
  if (hooks.on_message) {
    const bool bf16 = uses_bf16(options);
    std::string why;
    if (options.precision == TrainPrecision::Auto) {
      why = bf16 ? " (auto: this device's bf16 products sum in fp32)" : " (auto: this device's bf16 products sum in bf16 — slow and inexact)";
    }
    hooks.on_message(std::string("precision: ") + (bf16 ? "bf16 autocast" : "fp32") + why);
  }
  const auto tokenizer = diffusion::SentencePieceTokenizer::from_path(options.tokenizer);
  TrainResult result;
  try {
    StageContext ctx{options, hooks, result, 0};
    const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device_of(options));
    diffusion::AutoencoderKL vae(vae_config(options), opts);
    if (options.vae_from.empty()) ctx.message("VAE: " + std::to_string(options.vae_steps) + " steps of " + std::to_string(options.vae_batch) +
                " crops " + std::to_string(options.vae_crop) + "x" + std::to_string(options.vae_crop));
    if (!run_vae_stage(ctx, vae)) return result;
    ctx.global_offset = options.vae_from.empty() ? options.vae_steps : 0;
    ctx.message("LDM: " + std::to_string(options.ldm_steps) + " steps of " + std::to_string(options.ldm_batch) +
                " scenes, scale factor " + float_string(result.scale_factor));
    if (!run_ldm_stage(ctx, vae, result.scale_factor, tokenizer)) return result;
    result.finished = true;
  } catch (const c10::Error& e) {
    throw doc::Error(doc::ErrorCode::Runtime, std::string("training: ") + e.what_without_backtrace());
  }
  return result;
}

}  // namespace strata::training
