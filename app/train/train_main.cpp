// strata-train — trains the embedded model (VAE, then text encoder + UNet) on procedural scenes.
// A thin main: options → strata::training::train() (core/training), a progress bar.
//   strata-train -o models/strata-shapes              # the full run (see docs/PERFORMANCE.md)
//   strata-train -o /tmp/run --vae-steps 20 --ldm-steps 20 --size 64   # a quick look
// Without --tokenizer, <out>/tokenizer.model is used, and written first by strata-spm-train (a
// separate program: libsentencepiece's trainer cannot share a process with libtorch).
// Ctrl-C writes a checkpoint and exits; running the same command again resumes.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "strata/doc/error.h"
#include "strata/training/training.h"

namespace fs = std::filesystem;
using strata::training::TrainOptions;
using strata::training::TrainProgress;

namespace {

std::atomic<bool> g_stop{false};

std::string clock_string(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

void draw(const TrainProgress& p, bool terminal, double& smoothed) {
  smoothed = p.step <= 1 ? p.loss : 0.95 * smoothed + 0.05 * p.loss;
  if (!terminal && p.step % 25 != 0 && p.step != p.total) return;
  constexpr int width = 24;
  const int filled = p.total > 0 ? static_cast<int>(width * p.step / p.total) : width;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "%s%-3s [%s] %lld/%lld loss %.4f (avg %.4f) %.2f s/it ETA %s%s", terminal ? "\r" : "",
               p.stage.c_str(), bar.c_str(), static_cast<long long>(p.step), static_cast<long long>(p.total), p.loss,
               smoothed, p.seconds_per_step, clock_string(p.eta_seconds).c_str(), terminal ? "  " : "\n");
  std::fflush(stderr);
}

// Runs strata-spm-train from this program's folder. Returns its exit status.
int train_tokenizer(const fs::path& out, std::uint64_t seed) {
  fs::path self = fs::read_symlink("/proc/self/exe");
  fs::path tool = self.parent_path() / "strata-spm-train";
  const std::string cmd = "'" + tool.string() + "' -o '" + out.string() + "' --seed " + std::to_string(seed);
  std::cerr << "tokenizer: " << cmd << "\n";
  return std::system(cmd.c_str());
}

std::vector<int> parse_ints(const std::string& s) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t next = s.find(',', pos);
    out.push_back(std::stoi(s.substr(pos, next - pos)));
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Train Strata's embedded latent diffusion model on procedural scenes"};
  TrainOptions o;
  std::string device = "cpu", precision = "auto", unet_mult = "1,2,2", attention = "1,2", vae_mult = "1,2,2,4";
  app.add_option("-o,--output", o.out_dir, "output folder: model, config.json, tokenizer.model, checkpoints/")->required();
  app.add_option("--tokenizer", o.tokenizer, "SentencePiece tokenizer.model (default <output>/tokenizer.model, trained if missing)");
  app.add_option("--name", o.model_name, "model file name without .safetensors");
  app.add_option("--seed", o.seed, "seed of everything (scenes, crops, noise, initial weights)");
  app.add_option("--device", device, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}));
  app.add_option("--precision", precision, "auto (bf16 where the device sums bf16 products in fp32), bf16 (autocast) or fp32")
      ->check(CLI::IsMember({"auto", "bf16", "fp32"}));
  app.add_option("--threads", o.threads, "intra-op threads (0 = all cores)");
  app.add_option("--size", o.image_size, "scene size in pixels (native size)");
  app.add_option("--vae-channels", o.vae_base_channels, "VAE base channels");
  app.add_option("--vae-mult", vae_mult, "VAE channel multipliers (4 levels)");
  app.add_option("--vae-steps", o.vae_steps, "VAE training steps");
  app.add_option("--vae-batch", o.vae_batch, "VAE batch size");
  app.add_option("--vae-crop", o.vae_crop, "VAE training crop side");
  app.add_option("--vae-lr", o.vae_lr, "VAE learning rate");
  app.add_option("--init-from", o.ldm_init_from, "start the text encoder + UNet from this model file (matching parameters; new ones fresh)")
      ->check(CLI::ExistingFile);
  app.add_option("--vae-from", o.vae_from, "take the VAE and its scale factor from this model file (no VAE stage)")
      ->check(CLI::ExistingFile);
  app.add_option("--shape-loss-weight", o.shape_loss_weight, "extra LDM loss weight on latent pixels at the shapes (0 = off)")
      ->check(CLI::Range(0.f, 100.f));
  app.add_option("--unet-channels", o.unet_channels, "UNet model channels");
  app.add_option("--unet-mult", unet_mult, "UNet channel multipliers");
  app.add_option("--unet-attention", attention, "UNet levels with transformers");
  app.add_option("--unet-heads", o.unet_heads, "UNet attention heads");
  app.add_option("--text-width", o.text_width, "text encoder width (= UNet context dim)");
  app.add_option("--text-layers", o.text_layers, "text encoder layers");
  app.add_option("--text-heads", o.text_heads, "text encoder heads");
  app.add_option("--ldm-steps", o.ldm_steps, "text encoder + UNet training steps");
  app.add_option("--ldm-batch", o.ldm_batch, "text encoder + UNet batch size");
  app.add_option("--ldm-lr", o.ldm_lr, "text encoder + UNet learning rate");
  app.add_option("--ldm-lr-final", o.ldm_lr_final, "cosine-decay the LDM learning rate to this at the last LDM step (default: constant)");
  app.add_option("--ema", o.ema_decay, "EMA decay");
  app.add_option("--min-snr-gamma", o.min_snr_gamma, "Min-SNR loss weighting gamma (0 = plain MSE)");
  app.add_option("--latent-cache", o.latent_cache_scenes, "scenes encoded once for the LDM stage (0 = fresh scenes every step)");
  app.add_option("--text-pretrain", o.text_pretrain_steps, "text encoder warm-up steps before the joint stage (0 = none)");
  app.add_option("--snr-floor", o.snr_floor, "truncated-SNR floor of the x0 loss weight (0 = off)");
  app.add_option("--noise-offset", o.noise_offset, "per-image, per-channel offset noise strength (0 = off)");
  app.add_option("--pyramid-noise", o.pyramid_discount, "multi-resolution noise discount (0 = off)");
  app.add_option("--warmup", o.warmup_steps, "learning-rate warm-up steps");
  app.add_option("--checkpoint-every", o.checkpoint_every, "steps between checkpoints");
  app.add_option("--export-every", o.export_every, "LDM steps between model exports");
  app.add_option("--stop-at", o.stop_at_step, "stop (with a checkpoint) after this many steps of both stages");
  CLI11_PARSE(app, argc, argv);
  o.device = device == "cuda" ? strata::diffusion::Device::CUDA : strata::diffusion::Device::CPU;
  o.precision = precision == "bf16" ? strata::training::TrainPrecision::BF16
                : precision == "fp32" ? strata::training::TrainPrecision::FP32
                                      : strata::training::TrainPrecision::Auto;

  try {
    o.unet_channel_mult = parse_ints(unet_mult);
    o.unet_attention_levels = parse_ints(attention);
    o.vae_channel_mult = parse_ints(vae_mult);
    if (o.tokenizer.empty()) {
      o.tokenizer = o.out_dir / "tokenizer.model";
      if (!fs::exists(o.tokenizer) && train_tokenizer(o.tokenizer, o.seed) != 0) {
        std::cerr << "error: strata-spm-train failed\n";
        return 1;
      }
    }
    std::signal(SIGINT, [](int) { g_stop = true; });
    const bool terminal = isatty(STDERR_FILENO) != 0;
    double smoothed = 0.0;
    std::string stage;
    strata::training::TrainHooks hooks;
    hooks.on_progress = [&](const TrainProgress& p) {
      if (p.stage != stage && terminal && !stage.empty()) std::fputc('\n', stderr);
      stage = p.stage;
      draw(p, terminal, smoothed);
    };
    hooks.on_message = [&](const std::string& m) { std::fprintf(stderr, "%s%s\n", terminal && !stage.empty() ? "\n" : "", m.c_str()); };
    hooks.should_stop = [] { return g_stop.load(); };
    const auto result = strata::training::train(o, hooks);
    std::fprintf(stderr, "\n");
    if (!result.finished) {
      std::cout << "stopped; run the same command again to resume\n";
      return g_stop ? 130 : 0;
    }
    std::cout << "model: " << result.model_file.string() << "\nscale factor: " << result.scale_factor
              << "\nVAE s/it (this process): " << result.vae_seconds_per_step
              << "\nLDM s/it (this process): " << result.ldm_seconds_per_step << "\n";
  } catch (const strata::doc::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return e.code() == strata::doc::ErrorCode::Runtime ? 1 : 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
