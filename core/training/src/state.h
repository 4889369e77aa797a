// state.h (private) — what the two stages share: configs from TrainOptions, checkpoint
// files, the exported model, the progress clock.
//
// Checkpoints are .safetensors files (fp32) with the stage's state in __metadata__:
//   checkpoints/vae.safetensors  "vae.<param>", AdamW "opt.m.<i>"/"opt.v.<i>"; metadata step, done,
//                                scale_factor (once measured)
//   checkpoints/ldm.safetensors  "unet.<param>", "text.<param>", AdamW, EMA "ema.<i>"; metadata step
// The export is the SD single-file layout in fp16 (EMA weights for UNet and text encoder).
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "networks/clip_text_model.h"
#include "networks/vae.h"
#include "safetensors_writer.h"
#include "strata/diffusion/model_config.h"
#include "strata/training/training.h"
#include "unet/unet.h"

namespace strata::training {

diffusion::VAEConfig vae_config(const TrainOptions& o);
diffusion::UNetConfig unet_config(const TrainOptions& o);
diffusion::TextEncoderConfig text_config(const TrainOptions& o, int vocab_size, int bos, int eos, int pad);

struct Checkpoint {
  std::map<std::string, torch::Tensor> tensors;   // fp32 / int64, owned
  std::map<std::string, std::string> metadata;
  std::int64_t step() const;
  bool flag(const std::string& key) const { return metadata.count(key) && metadata.at(key) == "1"; }
};

// nullopt when the file does not exist.
std::optional<Checkpoint> read_checkpoint(const std::filesystem::path& path);
void write_checkpoint(const std::filesystem::path& path, const diffusion::NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata);

// Module parameters as prefix + name (the live tensors, not copies).
void append_parameters(diffusion::NamedTensors& out, torch::nn::Module& module, const std::string& prefix);
// Copies prefix + name from the checkpoint into every parameter.
void load_parameters(torch::nn::Module& module, const Checkpoint& ckpt, const std::string& prefix);
// Copies every parameter of `from` into the parameter of `to` with the same name; parameters of
// `to` that `from` lacks are left as they are. Throws (naming the parameter) when a shared name
// has another shape. Returns how many of `to`'s parameters were copied.
std::size_t copy_matching_parameters(torch::nn::Module& to, torch::nn::Module& from, const std::string& what);

// "%.9g": a float that reads back bit-exact.
std::string float_string(float v);

// Writes <out_dir>/<model_name>.safetensors (fp16) and config.json, copies the tokenizer next to
// it. The UNet and text modules hold the weights to export (the caller swaps EMA weights in).
std::filesystem::path export_model(const TrainOptions& o, diffusion::AutoencoderKL& vae, diffusion::UNetModel& unet, diffusion::CLIPTextModel& text,
                                   float scale_factor, std::int64_t ldm_steps_done);

// Torch device of the options.
torch::Device device_of(const TrainOptions& o);

// Autocast to bf16 on the options' device while alive (no-op when !o.bf16).
class AutocastScope {
 public:
  explicit AutocastScope(const TrainOptions& o);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool cpu_ = false, cuda_ = false;
};

// Linear warm-up over `warmup` steps to `base`; then constant, or (final_lr ≥ 0) a cosine decay
// from base to final_lr at step `total`.
double learning_rate(double base, std::int64_t step, int warmup, double final_lr = -1.0, std::int64_t total = 0);

// Steps/s bookkeeping for progress and ETA.
struct StageClock {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::int64_t steps = 0;
  double seconds_per_step() const;
};

}  // namespace strata::training
