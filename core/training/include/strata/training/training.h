// strata/training/training.h — training the embedded model on procedural scenes (torch-free header).
//
// train() runs two stages and writes everything under options.out_dir:
//   1. VAE: SD's AutoencoderKL with a small config (8× down-sampling, 4 latent channels) on random
//      crops of rendered scenes; loss L1 + L2 + kl_weight · KL. Afterwards the latent scale factor
//      (1 / std of the posterior means of a fixed scene set) is measured.
//   2. LDM: a CLIP-style text encoder trained jointly with the SD UNet (small config) on VAE
//      latents × scale factor: epsilon prediction, SD's scaled-linear schedule (1000 steps), a share
//      of empty captions (classifier-free guidance), EMA weights.
// The result is ONE single-file SD-layout checkpoint (fp16, EMA weights, `strata.*` metadata hints)
// that loads through load_model / Pipeline like any SD 1.x file: <out_dir>/<model_name>.safetensors.
//
// Determinism: scenes, captions, crops, noise and timesteps are functions of (seed, step), so two
// runs with the same options give the same weights (same device, threads and precision), and a run
// stopped at a checkpoint and resumed gives the weights of an uninterrupted run. Checkpoints:
// <out_dir>/checkpoints/{vae,ldm}.safetensors (fp32 weights, AdamW moments, EMA), written every
// checkpoint_every steps, at the end of each stage and when stopped; train() resumes from them.
//
// The tokenizer (a SentencePiece tokenizer.model) is an input: strata-spm-train writes it, a
// separate executable because libsentencepiece's trainer cannot share a process with libtorch.
//
// Thread-safety: train() uses the calling thread plus one scene-rendering thread; hooks are called
// on the calling thread. Errors: doc::Error (InvalidArgument for bad options, IoError, Runtime).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "strata/diffusion/pipeline.h"

namespace strata::training {

// Auto: bf16 autocast where the device's bf16 products sum in fp32 (bf16_sums_in_fp32), else fp32.
enum class TrainPrecision { Auto, BF16, FP32 };

struct TrainOptions {
  std::filesystem::path out_dir;            // checkpoints/ and the model file go here
  std::filesystem::path tokenizer;          // SentencePiece tokenizer.model (copied next to the model)
  std::string model_name = "strata-shapes"; // <out_dir>/<model_name>.safetensors
  std::uint64_t seed = 1;
  diffusion::Device device = diffusion::Device::CPU;
  TrainPrecision precision = TrainPrecision::Auto;  // BF16: autocast matmuls/convs (CPU and CUDA)
  int threads = 0;                          // intra-op threads, 0 = all cores
  int image_size = 128;                     // scenes are rendered at this size (the native size)

  // Stage 1: VAE.
  int vae_base_channels = 32;
  std::vector<int> vae_channel_mult{1, 2, 2, 4};  // 4 levels: 8× down-sampling
  int vae_res_blocks = 1;
  int vae_norm_groups = 8;                  // 4 channels per group at 32 (SD: 128 / 32)
  int vae_steps = 19250;
  int vae_batch = 8;
  int vae_crop = 64;                        // training crop side (multiple of 8, ≤ image_size)
  float vae_lr = 5e-4f;
  float vae_kl_weight = 1e-6f;

  // Stage 2: text encoder + UNet.
  int unet_channels = 64;
  std::vector<int> unet_channel_mult{1, 2, 2};
  std::vector<int> unet_attention_levels{1, 2};
  int unet_res_blocks = 2;
  int unet_norm_groups = 16;
  int unet_heads = 4;
  int text_width = 128;
  int text_layers = 4;
  int text_heads = 2;
  int ldm_steps = 12000;
  int ldm_batch = 32;
  float ldm_lr = 5e-4f;
  // Cosine decay of the LDM learning rate after warm-up, from ldm_lr down to this at ldm_steps;
  // negative = constant ldm_lr.
  float ldm_lr_final = -1.f;
  float ema_decay = 0.995f;
  float empty_caption_share = 0.1f;
  // Scenes encoded once into checkpoints/latents.safetensors and drawn from at every step (the
  // VAE encoder then costs nothing per step; about half of an uncached step at 128²). 0 = render
  // and encode fresh scenes at every step.
  int latent_cache_scenes = 50000;
  // Text encoder warm-up before the joint stage (core/training/src/text_pretrain.h): steps of
  // text_pretrain_batch captions at text_pretrain_lr. 0 = none.
  int text_pretrain_steps = 600;
  int text_pretrain_batch = 128;
  float text_pretrain_lr = 1e-3f;
  // Min-SNR-γ loss weighting (Hang et al. 2023): each sample's ε loss is weighted by
  // min(SNR(t), γ) / SNR(t), so nearly-clean timesteps no longer dominate the gradient and the
  // coarse layout (which shape, which colour, where) is learnt sooner. 0 = plain MSE.
  float min_snr_gamma = 5.f;
  // Truncated-SNR floor (Salimans & Ho 2022, "max(SNR, 1)"): the implied x0 loss weight is
  // clamp(SNR, floor, γ) instead of min(SNR, γ), so noisy timesteps, where only the caption can
  // tell what the image holds, stop being weighted by their tiny SNR and the text path learns
  // early. ε-loss weight = clamp(SNR, floor, γ) / SNR. 0 = no floor. A floor of 1 woke the text
  // path but starved the mid-noise steps where shapes form (the shipped run switched to 0.1).
  float snr_floor = 0.1f;
  // Low-frequency training noise. SD's schedule leaves signal at t = 999 (√ᾱ ≈ 0.068): the mean
  // (and coarse layout) of z_T still carries the image's, so a model learns to take the
  // background colour from the initial noise instead of the caption, and at inference pure noise
  // decides it. Training noise with extra low-frequency energy breaks that shortcut; sampling is
  // unchanged (plain Gaussian). noise_offset adds offset·N(0,1) per (image, channel) (Guttenberg
  // 2023); pyramid_discount adds bilinear-upsampled noise at 1/2, 1/4, … resolution weighted
  // discountⁱ, then rescales to unit variance (multi-resolution noise, Whitaker 2023). 0 = off.
  float noise_offset = 0.1f;
  float pyramid_discount = 0.f;
  // Extra ε-loss weight where the shapes are. Shapes cover a tenth of a scene, so an unweighted
  // loss spends most of its gradient on backgrounds, which the model already draws, and little on
  // the outlines that tell a star from a hexagon. Each latent pixel within one pixel of a shape
  // (render_shape_mask at latent size, dilated 3×3) weighs 1 + shape_loss_weight · coverage; the
  // background keeps weight 1 (normalising each image's weights to a mean of 1 would halve the
  // background's weight and leave spurious shapes unpunished; docs/ARCHITECTURE.md has the
  // measurement). 0 = plain per-pixel mean.
  float shape_loss_weight = 0.f;
  // Start the LDM stage (when it has no checkpoint yet) from the text encoder and UNet of this
  // model file instead of random weights: every parameter whose name and shape match is copied,
  // the rest (say, attention added at another UNet level) keeps its fresh initialisation (zeroed
  // output projections, so the grown network starts out computing what the old one did); the
  // text warm-up is skipped. The tokenizer must be the model's. Empty = off.
  std::filesystem::path ldm_init_from;
  // Take the VAE and its latent scale factor from this model file instead of training one: the
  // VAE stage is skipped (vae_steps is ignored). Every VAE parameter must match the configured
  // VAE by name and shape. With ldm_init_from this fine-tunes a shipped model without its
  // git-ignored training checkpoints. Empty = off.
  std::filesystem::path vae_from;

  int warmup_steps = 100;                   // linear learning-rate warm-up, both stages
  int checkpoint_every = 250;               // steps; 0 = only at stage ends
  int export_every = 500;                   // LDM steps between model exports; 0 = only at the end
  int scale_batches = 8;                    // batches of vae_batch scenes for the scale factor
  // Stop (after writing a checkpoint) once this many steps of both stages together are done;
  // -1 = run to the end. For tests of resume and for runs split across sessions.
  std::int64_t stop_at_step = -1;
};

struct TrainProgress {
  std::string stage;                        // "vae", "scale", "ldm"
  std::int64_t step = 0;                    // steps done in this stage
  std::int64_t total = 0;                   // steps of this stage
  double loss = 0.0;                        // this step's loss
  double seconds_per_step = 0.0;            // mean over this process's steps of the stage
  double eta_seconds = 0.0;                 // both stages' remaining steps at the current rates
};

struct TrainHooks {
  std::function<void(const TrainProgress&)> on_progress;
  std::function<void(const std::string&)> on_message;  // stage changes, checkpoints, exports
  std::function<bool()> should_stop;        // checked every step: checkpoint and return
};

struct TrainResult {
  bool finished = false;                    // false: stopped (stop_at_step or should_stop)
  std::filesystem::path model_file;         // empty until exported
  float scale_factor = 0.f;
  // Share of held-out scenes whose VAE reconstruction the evaluator reads right (the ceiling of
  // the model's adherence); -1 when the VAE stage was restored rather than trained in this process.
  double vae_reconstruction_adherence = -1.0;
  std::vector<double> vae_losses;           // per step run in this process
  std::vector<double> ldm_losses;
  double vae_seconds_per_step = 0.0;
  double ldm_seconds_per_step = 0.0;
};

TrainResult train(const TrainOptions& options, const TrainHooks& hooks = {});

// Whether a run with these options autocasts to bf16 (resolves TrainPrecision::Auto).
bool uses_bf16(const TrainOptions& options);

}  // namespace strata::training
