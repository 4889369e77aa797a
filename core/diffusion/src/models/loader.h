// loader.h (private) — build the three networks of a checkpoint and copy its weights in.
//
// Staged: open the source (headers only, mmap) → detect the config → check every tensor name and
// shape against modules built on torch::kMeta (instant, no memory) → build the real modules
// (uninitialised parameters) → copy each tensor ONCE from the mapping into its parameter
// (param.copy_(view) converts the dtype and moves to the device in the same pass) and release the
// tensor's pages right after, so peak RSS stays near the weights in compute dtype.
//
// Every missing, unexpected and shape-mismatched tensor is reported together in one doc::Error;
// its code is the kind of the first problem (MissingTensor / UnexpectedTensor / ShapeMismatch).
// Ignored keys: *.position_ids, *.logit_scale, the 12 DDPM schedule buffers (betas, alphas_cumprod,
// …), sgm's denoiser.sigmas, model_ema.*. Models the detection marks unsupported are refused with
// doc::Error(UnsupportedModel) and its reason. torch failures (allocation, CUDA) become doc::Error(Runtime).
//
// Ownership: LoadedModel owns its modules (shared holders, cheap to copy); the source mapping is
// dropped when load_model returns. Thread-safety: load_model may run on any thread; the modules
// follow their own headers' rules (one thread at a time per instance).
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "models/model_source.h"
#include "networks/clip_text_model.h"
#include "networks/vae.h"
#include "strata/diffusion/model_config.h"
#include "strata/doc/error.h"
#include "unet/unet.h"

namespace strata::diffusion {

struct LoadOptions {
  torch::Device device = torch::kCPU;
  torch::ScalarType dtype = torch::kFloat32;  // compute dtype: kFloat32, kBFloat16 or kFloat16
  // Called on the loading thread with the share of the weights' bytes loaded so far (0..1, about
  // every 1 %, and 1 at the end). Optional.
  std::function<void(double)> on_progress;
};

struct LoadedModel {
  ModelConfig config;
  CLIPTextModel text_encoder{nullptr};
  CLIPTextModel text_encoder_2{nullptr};  // SDXL base: OpenCLIP bigG; null otherwise
  AutoencoderKL vae{nullptr};
  UNetModel unet{nullptr};
  std::filesystem::path path;            // the file or folder loaded
  std::filesystem::path tokenizer_dir;   // tokenizer/ in or next to the model; empty if none
  std::uint64_t parameter_bytes = 0;     // bytes of all parameters in the compute dtype
};

// Checkpoint key prefixes of the three components.
inline constexpr const char* kTextEncoderPrefix = "cond_stage_model.transformer.text_model.";
inline constexpr const char* kVAEPrefix = "first_stage_model.";
inline constexpr const char* kUNetPrefix = "model.diffusion_model.";

// Keys a loader never needs (position_ids, DDPM buffers, EMA copies).
bool is_ignored_key(std::string_view key);

// One problem with one tensor, already worded: "<key>: expected [..], found [..] in <file>".
struct TensorProblem {
  doc::ErrorCode kind;
  std::string message;
};

// Compares the index against modules built from `config` on the meta device. Empty = loadable.
std::vector<TensorProblem> check_tensors(const models::ModelSource& source, const ModelConfig& config);

// SD 2.x files do not say whether they predict ε or v (identical tensors). Where no config or
// metadata says, AUTOMATIC1111 measures it: the UNet's output on a constant input (0.5 everywhere,
// t = 999, constant context 0.5) minus the input has a mean below −1 for v-models. Strata uses the
// same probe (one 8×8 UNet pass, milliseconds) and records it in the config's notes; native size
// follows (v: 768). Only for 4-channel SD 2.x UNets without a hint or a user choice.
void probe_sd2_prediction(LoadedModel& model);

// Opens, detects and loads. Throws doc::Error (see the file comment).
LoadedModel load_model(const std::filesystem::path& path, const LoadOptions& options = {});

// Loads an opened source under an explicit config (e.g. one a caller adjusted or detected earlier).
LoadedModel load_model(const models::ModelSource& source, const ModelConfig& config, const LoadOptions& options);

}  // namespace strata::diffusion
