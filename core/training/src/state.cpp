// state.cpp — see state.h.
#include "state.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>

#include "models/detect_util.h"
#include "models/loader.h"
#include "networks/latent_rgb.h"
#include "strata/doc/error.h"
#include "strata/scenes/scene.h"
#include "strata/diffusion/tensor_index.h"
#include "torch_tensors.h"
#include "scene_batches.h"

namespace strata::training {

namespace fs = std::filesystem;

diffusion::VAEConfig vae_config(const TrainOptions& o) {
  diffusion::VAEConfig v;
  v.base_channels = o.vae_base_channels;
  v.channel_mult = o.vae_channel_mult;
  v.num_res_blocks = o.vae_res_blocks;
  v.latent_channels = 4;
  v.norm_groups = o.vae_norm_groups;
  return v;
}

diffusion::UNetConfig unet_config(const TrainOptions& o) {
  diffusion::UNetConfig u;
  u.in_channels = 4;
  u.out_channels = 4;
  u.model_channels = o.unet_channels;
  u.channel_mult = o.unet_channel_mult;
  u.num_res_blocks = o.unet_res_blocks;
  u.attention_levels = o.unet_attention_levels;
  u.num_heads = o.unet_heads;
  u.head_dim = -1;
  u.transformer_depth = 1;
  u.context_dim = o.text_width;
  u.linear_proj = false;
  u.norm_groups = o.unet_norm_groups;
  return u;
}

diffusion::TextEncoderConfig text_config(const TrainOptions& o, int vocab_size, int bos, int eos, int pad) {
  diffusion::TextEncoderConfig t;
  t.vocab_size = vocab_size;
  t.max_positions = 77;
  t.width = o.text_width;
  t.layers = o.text_layers;
  t.heads = o.text_heads;
  t.mlp_width = 4 * o.text_width;
  t.quick_gelu = true;
  t.bos_id = bos;
  t.eos_id = eos;
  t.pad_id = pad;
  return t;
}

std::int64_t Checkpoint::step() const {
  auto it = metadata.find("step");
  return it == metadata.end() ? 0 : std::stoll(it->second);
}

std::optional<Checkpoint> read_checkpoint(const fs::path& path) {
  if (!fs::exists(path)) return std::nullopt;
  Checkpoint c;
  c.metadata = diffusion::TensorIndex::open(path).metadata();
  c.tensors = diffusion::load_all(path);
  return c;
}

void write_checkpoint(const fs::path& path, const diffusion::NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
  fs::create_directories(path.parent_path());
  diffusion::save_safetensors(path, tensors, metadata);
}

void append_parameters(diffusion::NamedTensors& out, torch::nn::Module& module, const std::string& prefix) {
  for (auto& item : module.named_parameters(true)) out.emplace_back(prefix + item.key(), item.value().detach());
}

namespace {

// The words the captions use (strata_scenes), for the UI's prompt hint (ui/model_vocabulary.h).
nlohmann::json prompt_vocabulary() {
  std::vector<std::string> kinds, colours;
  for (scenes::Kind k : scenes::all_kinds()) kinds.emplace_back(scenes::to_string(k));
  for (scenes::Colour c : scenes::all_colours()) colours.emplace_back(scenes::to_string(c));
  return {{"example", "a red circle on a blue background"},
          {"groups",
           {{{"name", "shapes"}, {"words", kinds}},
            {{"name", "colours"}, {"words", colours}},
            {{"name", "backgrounds"},
             {"words", {"<colour> background", "gradient from <colour> to <colour>", "<colour> and <colour> striped background"}}},
            {{"name", "sizes"}, {"words", {"small", "large"}}},
            {{"name", "relations"}, {"words", {"left of", "right of", "above", "below", "next to"}}}}}};
}

// Copies `src` into the parameter `name`; a different shape is an error naming both (`what` = the source).
void copy_parameter(torch::Tensor& param, const torch::Tensor& src, const std::string& name, const std::string& what) {
  if (src.sizes() != param.sizes()) {
    throw doc::Error(doc::ErrorCode::ShapeMismatch, what + ": " + name + " has shape " + diffusion::models::shape_string(src.sizes().vec()) +
                                                        ", the model being trained needs " + diffusion::models::shape_string(param.sizes().vec()));
  }
  param.copy_(src.to(param.device(), param.scalar_type()));
}

}  // namespace

void load_parameters(torch::nn::Module& module, const Checkpoint& ckpt, const std::string& prefix) {
  torch::NoGradGuard no_grad;
  for (auto& item : module.named_parameters(true)) {
    const std::string key = prefix + item.key();
    auto it = ckpt.tensors.find(key);
    if (it == ckpt.tensors.end()) throw doc::Error(doc::ErrorCode::CorruptFile, key + ": missing from the training checkpoint");
    copy_parameter(item.value(), it->second, key, "the training checkpoint");
  }
}

std::size_t copy_matching_parameters(torch::nn::Module& to, torch::nn::Module& from, const std::string& what) {
  torch::NoGradGuard no_grad;
  const auto source = from.named_parameters(true);
  std::size_t copied = 0;
  for (auto& item : to.named_parameters(true)) {
    if (const torch::Tensor* src = source.find(item.key())) {
      copy_parameter(item.value(), *src, item.key(), what);
      ++copied;
    }
  }
  return copied;
}

std::string float_string(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  return buf;
}

namespace {

void append_fp16(diffusion::NamedTensors& out, torch::nn::Module& module, const std::string& prefix) {
  for (auto& item : module.named_parameters(true)) {
    out.emplace_back(prefix + item.key(), item.value().detach().to(torch::kCPU, torch::kFloat16).contiguous());
  }
}

std::string int_list(const std::vector<int>& v) {
  std::string s;
  for (int x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

}  // namespace

fs::path export_model(const TrainOptions& o, diffusion::AutoencoderKL& vae, diffusion::UNetModel& unet, diffusion::CLIPTextModel& text,
                      float scale_factor, std::int64_t ldm_steps_done) {
  diffusion::NamedTensors tensors;
  append_fp16(tensors, *unet, diffusion::kUNetPrefix);
  append_fp16(tensors, *vae, diffusion::kVAEPrefix);
  append_fp16(tensors, *text, diffusion::kTextEncoderPrefix);
  std::map<std::string, std::string> meta{
      {"strata.native_size", std::to_string(o.image_size)},
      {"strata.unet.num_heads", std::to_string(o.unet_heads)},
      {"strata.text_encoder.heads", std::to_string(o.text_heads)},
      {"strata.vae.scale_factor", float_string(scale_factor)},
      {"strata.prediction", "epsilon"},
      {"strata.vae.norm_groups", std::to_string(o.vae_norm_groups)},
      {"strata.unet.norm_groups", std::to_string(o.unet_norm_groups)},
      {"strata.training.seed", std::to_string(o.seed)},
      {"strata.training.vae_steps", std::to_string(o.vae_steps)},
      {"strata.training.ldm_steps", std::to_string(ldm_steps_done)},
      {"strata.training.ldm_batch", std::to_string(o.ldm_batch)},
      {"strata.training.held_out", held_out_description()},
      {"modelspec.architecture", "strata-shapes-ldm"},
      // The live preview's colours for this VAE (networks/latent_rgb.h), fitted on its fp32 weights.
      {diffusion::kLatentRgbKey, diffusion::latent_rgb_metadata(diffusion::fit_latent_rgb(vae, scale_factor))},
  };
  fs::create_directories(o.out_dir);
  const fs::path file = o.out_dir / (o.model_name + ".safetensors");
  diffusion::save_safetensors(file, tensors, meta);

  nlohmann::json config = {
      {"summary", {{"name", o.model_name}, {"prediction_type", "epsilon"}, {"native_size", o.image_size},
                   {"held_out", held_out_description()}}},
      {"prompt_vocabulary", prompt_vocabulary()},
      {"diffusers",
       {{"unet", {{"sample_size", o.image_size / 8}, {"num_attention_heads", o.unet_heads},
                  {"block_out_channels", [&] { std::vector<int> b; for (int m : o.unet_channel_mult) b.push_back(m * o.unet_channels); return b; }()},
                  {"layers_per_block", o.unet_res_blocks}, {"cross_attention_dim", o.text_width}}},
        {"text_encoder", {{"num_attention_heads", o.text_heads}, {"hidden_act", "quick_gelu"},
                          {"hidden_size", o.text_width}, {"num_hidden_layers", o.text_layers}}},
        {"vae", {{"scaling_factor", scale_factor}, {"latent_channels", 4},
                 {"block_out_channels", [&] { std::vector<int> b; for (int m : o.vae_channel_mult) b.push_back(m * o.vae_base_channels); return b; }()},
                 {"layers_per_block", o.vae_res_blocks}}},
        {"scheduler", {{"prediction_type", "epsilon"}, {"beta_schedule", "scaled_linear"}, {"beta_start", 0.00085},
                       {"beta_end", 0.012}, {"num_train_timesteps", 1000}}}}},
      {"training", {{"seed", o.seed}, {"image_size", o.image_size}, {"vae_steps", o.vae_steps},
                    {"vae_batch", o.vae_batch}, {"vae_crop", o.vae_crop}, {"ldm_steps", ldm_steps_done},
                    {"ldm_batch", o.ldm_batch}, {"ldm_lr", o.ldm_lr}, {"ldm_lr_final", o.ldm_lr_final}, {"ema_decay", o.ema_decay},
                    {"empty_caption_share", o.empty_caption_share}, {"min_snr_gamma", o.min_snr_gamma},
                    {"latent_cache_scenes", o.latent_cache_scenes}, {"text_pretrain_steps", o.text_pretrain_steps}, {"snr_floor", o.snr_floor}, {"noise_offset", o.noise_offset}, {"pyramid_discount", o.pyramid_discount},
                    {"shape_loss_weight", o.shape_loss_weight}, {"ldm_init_from", o.ldm_init_from.filename().string()},
                    {"vae_from", o.vae_from.filename().string()},
                    {"unet_channel_mult", int_list(o.unet_channel_mult)},
                    {"unet_attention_levels", int_list(o.unet_attention_levels)}, {"bf16", uses_bf16(o)}}},
  };
  std::ofstream(o.out_dir / "config.json") << config.dump(2) << "\n";
  const fs::path tok = o.out_dir / "tokenizer.model";
  if (!o.tokenizer.empty() && fs::weakly_canonical(o.tokenizer) != fs::weakly_canonical(tok)) {
    fs::copy_file(o.tokenizer, tok, fs::copy_options::overwrite_existing);
  }
  return file;
}

torch::Device device_of(const TrainOptions& o) {
  return o.device == diffusion::Device::CUDA ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

namespace {

// Turns bf16 autocast on or off for CUDA or the CPU. libtorch 2.4 replaced the per-device calls
// (Debian's 1.13) with ones taking the device type; a GPU machine's pip libtorch has only those.
void set_autocast(bool cuda, bool enabled) {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  const auto type = cuda ? at::kCUDA : at::kCPU;
  if (enabled) at::autocast::set_autocast_dtype(type, at::kBFloat16);
  at::autocast::set_autocast_enabled(type, enabled);
#else
  if (cuda) {
    if (enabled) at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(enabled);
  } else {
    if (enabled) at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::set_cpu_enabled(enabled);
  }
#endif
}

}  // namespace

AutocastScope::AutocastScope(const TrainOptions& o) {
  if (!uses_bf16(o)) return;
  cuda_ = o.device == diffusion::Device::CUDA;
  cpu_ = !cuda_;
  set_autocast(cuda_, true);
}

AutocastScope::~AutocastScope() {
  if (cpu_ || cuda_) {
    set_autocast(cuda_, false);
    at::autocast::clear_cache();
  }
}

double learning_rate(double base, std::int64_t step, int warmup, double final_lr, std::int64_t total) {
  if (warmup > 0 && step < warmup) return base * static_cast<double>(step + 1) / static_cast<double>(warmup);
  if (final_lr < 0.0 || total <= warmup) return base;
  const double progress = std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(total - warmup));
  return final_lr + 0.5 * (base - final_lr) * (1.0 + std::cos(std::numbers::pi * progress));
}

double StageClock::seconds_per_step() const {
  if (steps == 0) return 0.0;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / static_cast<double>(steps);
}

}  // namespace strata::training
