// ldm_stage.cpp — stage 2: a CLIP-style text encoder and the UNet, trained jointly on the
// frozen VAE's latents (× scale factor): epsilon prediction on SD's scaled-linear schedule, a share
// of empty captions for classifier-free guidance, EMA weights for the export.
// Ref: CompVis ldm/models/diffusion/ddpm.py (LatentDiffusion.p_losses with parameterization "eps",
//      q_sample, cond_stage_trainable), ldm/modules/ema.py; diffusers v0.21 train_text_to_image.py.
#include <cmath>
#include <optional>

#include "models/loader.h"
#include "samplers/schedule.h"
#include "strata/diffusion/prompt.h"
#include "strata/doc/error.h"
#include "strata/scenes/render.h"
#include "init.h"
#include "latent_cache.h"
#include "text_pretrain.h"
#include "optim.h"
#include "scene_batches.h"
#include "stages.h"

namespace strata::training {

namespace {

constexpr std::uint64_t kLDMStream = 2;

// Swaps the live parameters with the EMA shadow (twice = back). Used around the export.
void swap_with(std::vector<torch::Tensor>& params, const std::vector<torch::Tensor>& shadow) {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < params.size(); ++i) {
    auto tmp = params[i].detach().clone();
    params[i].copy_(shadow[i]);
    const_cast<torch::Tensor&>(shadow[i]).copy_(tmp);
  }
}

// Training noise ε for latents of `shape` [B, C, h, w]: Gaussian, plus the low-frequency parts
// of TrainOptions::noise_offset / pyramid_discount (see there).
torch::Tensor training_noise(const TrainOptions& o, c10::IntArrayRef shape, at::Generator& gen) {
  auto eps = torch::randn(shape, gen, torch::kFloat32);
  if (o.pyramid_discount > 0.f) {
    const int64_t h = shape[2], w = shape[3];
    double weight = 1.0;
    for (int64_t r = 2; h / r >= 1 && w / r >= 1; r *= 2) {
      weight *= o.pyramid_discount;
      auto coarse = torch::randn({shape[0], shape[1], h / r, w / r}, gen, torch::kFloat32);
      eps += weight * torch::upsample_bilinear2d(coarse, {h, w}, false);
    }
    eps = eps / eps.std();
  }
  if (o.noise_offset > 0.f) eps += o.noise_offset * torch::randn({shape[0], shape[1], 1, 1}, gen, torch::kFloat32);
  return eps;
}

// TrainOptions::ldm_init_from: the matching text encoder and UNet parameters of that model file.
void init_from_model(StageContext& ctx, diffusion::UNetModel& unet, diffusion::CLIPTextModel& text, float scale_factor) {
  const auto& path = ctx.options.ldm_init_from;
  diffusion::LoadedModel from = diffusion::load_model(path);
  const std::string what = path.filename().string();
  const std::size_t unet_total = unet->parameters().size();
  const std::size_t unet_copied = copy_matching_parameters(*unet, *from.unet, what);
  const std::size_t text_copied = copy_matching_parameters(*text, *from.text_encoder, what);
  if (text_copied != text->parameters().size()) {
    throw doc::Error(doc::ErrorCode::ShapeMismatch, what + ": its text encoder does not match the one being trained (" +
                                                        std::to_string(text_copied) + " of " + std::to_string(text->parameters().size()) +
                                                        " parameters found)");
  }
  if (unet_copied == 0) throw doc::Error(doc::ErrorCode::ShapeMismatch, what + ": no UNet parameter matches the UNet being trained");
  if (from.config.vae.scale_factor != scale_factor) {
    ctx.message("LDM: note: " + what + " was trained on another VAE (scale factor " + float_string(from.config.vae.scale_factor) +
                ", this run's " + float_string(scale_factor) + "); its UNet starts in a different latent space");
  }
  ctx.message("LDM: started from " + path.string() + " (" + std::to_string(unet_copied) + " of " + std::to_string(unet_total) +
              " UNet parameters copied, the rest new)");
}

}  // namespace

torch::Tensor shape_loss_weights(const std::vector<scenes::Scene>& shown, std::int64_t side, float weight) {
  const auto n = static_cast<std::int64_t>(shown.size());
  auto mask = torch::empty({n, 1, side, side}, torch::kFloat32);
  for (std::int64_t i = 0; i < n; ++i) {
    const doc::Image8 m = scenes::render_shape_mask(shown[static_cast<std::size_t>(i)], static_cast<int>(side), static_cast<int>(side));
    mask[i][0].copy_(torch::from_blob(const_cast<std::uint8_t*>(m.pixels.data()), {side, side}, torch::kUInt8).to(torch::kFloat32) / 255.0);
  }
  return 1.0 + weight * torch::max_pool2d(mask, 3, 1, 1);  // one latent pixel around each shape too
}

bool run_ldm_stage(StageContext& ctx, diffusion::AutoencoderKL& vae, float scale_factor, const diffusion::Tokenizer& tokenizer) {
  const TrainOptions& o = ctx.options;
  const auto device = device_of(o);
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  diffusion::UNetModel unet(unet_config(o), opts);
  diffusion::CLIPTextModel text(text_config(o, tokenizer.vocab_size(), tokenizer.bos_id(), tokenizer.eos_id(), tokenizer.pad_id()), opts);
  for (auto& p : vae->parameters()) p.set_requires_grad(false);
  vae->eval();

  auto params = trainable_parameters(*unet);
  for (auto& p : trainable_parameters(*text)) params.push_back(p);
  AdamW opt(params);
  std::int64_t step = 0;
  const auto path = o.out_dir / "checkpoints" / "ldm.safetensors";
  auto ckpt = read_checkpoint(path);
  if (ckpt) {
    load_parameters(*unet, *ckpt, "unet.");
    load_parameters(*text, *ckpt, "text.");
    step = ckpt->step();
    opt.load(ckpt->tensors, "opt.", step);
    ctx.message("LDM: resuming at step " + std::to_string(step));
  } else {
    auto gen = make_generator(mix_seed(o.seed, 12));
    init_parameters(*unet, gen, unet_zero_init);
    init_parameters(*text, gen);
    if (!o.ldm_init_from.empty()) {
      init_from_model(ctx, unet, text, scale_factor);
    } else if (o.text_pretrain_steps > 0) {
      const double read = pretrain_text_encoder(ctx, text, tokenizer, mix_seed(o.seed, kLDMStream));
      ctx.message("LDM: text encoder warmed up; it reads every attribute of " +
                  std::to_string(static_cast<int>(std::lround(100.0 * read))) + " % of held-out captions");
    }
  }
  Ema ema(params, o.ema_decay);
  if (ckpt) ema.load(ckpt->tensors, "ema.");
  ckpt.reset();

  auto save = [&] {
    diffusion::NamedTensors t;
    append_parameters(t, *unet, "unet.");
    append_parameters(t, *text, "text.");
    opt.save(t, "opt.");
    ema.save(t, "ema.");
    write_checkpoint(path, t, {{"step", std::to_string(step)}});
  };
  auto do_export = [&] {
    swap_with(params, ema.shadow());
    ctx.result.model_file = export_model(o, vae, unet, text, scale_factor, step);
    swap_with(params, ema.shadow());
    ctx.message("LDM: exported " + ctx.result.model_file.string() + " (EMA weights, step " + std::to_string(step) + ")");
  };

  const auto& acp = diffusion::diffusers_tables().alphas_cumprod;  // ᾱ_t, t = 0…999
  auto sqrt_acp = torch::tensor(std::vector<float>(acp.begin(), acp.end())).sqrt();
  auto sqrt_1m_acp = (1.0 - torch::tensor(std::vector<float>(acp.begin(), acp.end()))).sqrt();
  // Per-timestep ε-loss weights: clamp(SNR, floor, γ) / SNR with SNR = ᾱ / (1 − ᾱ) (the implied
  // x0-loss weight is clamp(SNR, floor, γ)); a bound of 0 leaves that side open.
  auto snr = sqrt_acp.pow(2) / sqrt_1m_acp.pow(2);
  auto x0_weight = snr.clone();
  if (o.min_snr_gamma > 0.f) x0_weight = torch::clamp_max(x0_weight, o.min_snr_gamma);
  if (o.snr_floor > 0.f) x0_weight = torch::clamp_min(x0_weight, o.snr_floor);
  auto loss_weight = x0_weight / snr;
  const std::uint64_t stream = mix_seed(o.seed, kLDMStream);
  std::optional<SceneBatchQueue> queue;
  std::optional<LatentCache> cache;
  if (o.latent_cache_scenes > 0) {
    ctx.message("LDM: latents of " + std::to_string(o.latent_cache_scenes) + " scenes");
    StageClock encode_clock;
    cache = open_latent_cache(o, vae, scale_factor, stream, o.latent_cache_scenes,
                              o.out_dir / "checkpoints" / "latents.safetensors", [&](int done, int total) {
                                encode_clock.steps = done;
                                const double sps = encode_clock.seconds_per_step();
                                if (ctx.hooks.on_progress) ctx.hooks.on_progress({"latents", done, total, 0.0, sps, sps * (total - done)});
                              });
  } else {
    queue.emplace(stream, step, o.ldm_steps, o.ldm_batch, o.image_size, o.empty_caption_share);
  }
  StageClock clock;
  unet->train();
  text->train();
  while (step < o.ldm_steps) {
    if (ctx.must_stop(step)) {
      save();
      ctx.message("LDM: stopped at step " + std::to_string(step) + ", checkpoint written");
      return false;
    }
    auto gen = make_generator(mix_seed(stream, static_cast<std::uint64_t>(step) + 0x5EEDull));
    const int64_t b = o.ldm_batch;
    torch::Tensor z0;                                                           // [B, 4, S/8, S/8]
    std::vector<std::string> captions;
    std::vector<scenes::Scene> shown;
    if (cache) {
      auto lb = latent_batch(*cache, stream, step, o.ldm_batch, o.empty_caption_share);
      z0 = (lb.z0 * scale_factor).to(device);
      captions = std::move(lb.captions);
      shown = std::move(lb.scenes);
    } else {
      auto batch = queue->next();
      auto x = images_tensor(batch).to(device);                                 // [B, 3, S, S]
      torch::NoGradGuard no_grad;
      AutocastScope autocast(o);
      auto post = diffusion::AutoencoderKLImpl::split_moments(vae->encode_moments(x));
      auto n = torch::randn(post.mean.sizes(), gen, torch::kFloat32).to(device);
      z0 = ((post.mean + post.std * n) * scale_factor).to(torch::kFloat32);
      captions = std::move(batch.captions);
      shown = std::move(batch.scenes);
    }
    auto t = torch::randint(0, diffusion::kTrainTimesteps, {b}, gen, torch::kInt64);      // [B]
    auto eps = training_noise(o, z0.sizes(), gen).to(device);                   // [B, 4, h, w]
    auto a = sqrt_acp.index_select(0, t).view({b, 1, 1, 1}).to(device);
    auto s = sqrt_1m_acp.index_select(0, t).view({b, 1, 1, 1}).to(device);
    auto zt = a * z0 + s * eps;
    auto ids = caption_ids(tokenizer, captions).to(device);              // [B, 77]
    torch::Tensor pred;
    {
      AutocastScope autocast(o);
      auto context = text->forward(ids);                                       // [B, 77, width]
      pred = unet->forward(zt, t.to(torch::kFloat32).to(device), context).to(torch::kFloat32);
    }
    auto w = loss_weight.index_select(0, t).to(device);                        // [B]
    auto err = (pred - eps).pow(2);                                             // [B, 4, h, w]
    if (o.shape_loss_weight > 0.f) err = err * shape_loss_weights(shown, z0.size(2), o.shape_loss_weight).to(device);
    auto loss = (err.mean({1, 2, 3}) * w).mean();
    loss.backward();
    opt.step(learning_rate(o.ldm_lr, step, o.warmup_steps, o.ldm_lr_final, o.ldm_steps));
    opt.zero_grad();
    ++step;
    ++clock.steps;
    ema.update(params, step);
    const double l = loss.item<double>();
    if (!std::isfinite(l)) throw doc::Error(doc::ErrorCode::Runtime, "LDM loss is not finite at step " + std::to_string(step));
    ctx.result.ldm_losses.push_back(l);
    if (ctx.hooks.on_progress) {
      const double sps = clock.seconds_per_step();
      ctx.hooks.on_progress({"ldm", step, o.ldm_steps, l, sps, sps * static_cast<double>(o.ldm_steps - step)});
    }
    if (o.checkpoint_every > 0 && step % o.checkpoint_every == 0 && step < o.ldm_steps) save();
    if (o.export_every > 0 && step % o.export_every == 0 && step < o.ldm_steps) do_export();
  }
  ctx.result.ldm_seconds_per_step = clock.seconds_per_step();
  save();
  do_export();
  return true;
}

}  // namespace strata::training
