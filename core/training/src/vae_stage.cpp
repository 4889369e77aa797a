// vae_stage.cpp — stage 1: the KL autoencoder on random crops of rendered scenes, then the
// latent scale factor.
// Ref: CompVis ldm/models/autoencoder.py (AutoencoderKL.training_step) and
//      ldm/modules/losses/contperceptual.py (rec + kl_weight · KL, no perceptual/GAN terms here);
//      the scale factor as 1/std of the latents (ldm's scale_by_std).
#include <cmath>

#include "models/loader.h"
#include "pipeline/image_tensor.h"
#include "strata/doc/error.h"
#include "strata/scenes/caption.h"
#include "strata/scenes/evaluate.h"
#include "strata/scenes/held_out.h"
#include "strata/scenes/render.h"
#include "init.h"
#include "optim.h"
#include "scene_batches.h"
#include "stages.h"

namespace strata::training {

namespace {

constexpr std::uint64_t kVAEStream = 1, kScaleStream = 3, kCheckStream = 4;
constexpr int kCheckScenes = 48;

// Per-item crops of side c at offsets drawn from gen. x: [B, 3, S, S] → [B, 3, c, c]
torch::Tensor random_crops(const torch::Tensor& x, int c, at::Generator& gen) {
  const int64_t s = x.size(2);
  if (c >= s) return x;
  auto offsets = torch::randint(0, s - c + 1, {x.size(0), 2}, gen, torch::kInt64);
  auto acc = offsets.accessor<int64_t, 2>();
  std::vector<torch::Tensor> crops;
  for (int64_t i = 0; i < x.size(0); ++i) crops.push_back(x[i].slice(1, acc[i][0], acc[i][0] + c).slice(2, acc[i][1], acc[i][1] + c));
  return torch::stack(crops);
}

// 1 / std of the posterior means of a fixed scene set.
float measure_scale_factor(const TrainOptions& o, diffusion::AutoencoderKL& vae) {
  torch::NoGradGuard no_grad;
  AutocastScope autocast(o);
  std::vector<torch::Tensor> means;
  for (int i = 0; i < o.scale_batches; ++i) {
    auto batch = render_batch(kScaleStream, i, o.vae_batch, o.image_size, 0.f);
    auto x = images_tensor(batch).to(device_of(o));
    means.push_back(diffusion::AutoencoderKLImpl::split_moments(vae->encode_moments(x)).mean.to(torch::kFloat32).cpu());
  }
  const double std = torch::cat(means).std().item<double>();
  return static_cast<float>(1.0 / std);
}

// Share of held-out scenes whose reconstruction (decode of the posterior mean) the evaluator reads
// right against the scene's canonical caption: what the LDM can reach at best through this VAE.
double reconstruction_adherence(const TrainOptions& o, diffusion::AutoencoderKL& vae) {
  torch::NoGradGuard no_grad;
  const scenes::SceneOptions held_out = scenes::held_out_scene_options();
  int right = 0;
  for (int i = 0; i < kCheckScenes; ++i) {
    const scenes::Scene scene = scenes::sample_scene(mix_seed(o.seed, kCheckStream + 0x100ull * static_cast<std::uint64_t>(i)), held_out);
    const doc::Image8 image = scenes::render(scene, o.image_size, o.image_size);
    const auto x = diffusion::image_to_tensor(image).to(device_of(o));  // [1, 3, S, S]
    torch::Tensor rec;
    {
      AutocastScope autocast(o);
      rec = vae->decode(diffusion::AutoencoderKLImpl::split_moments(vae->encode_moments(x)).mean).to(torch::kFloat32);
    }
    right += scenes::evaluate(diffusion::tensor_to_image(rec.cpu()), scenes::canonical_caption(scene)).all_ok;
  }
  return static_cast<double>(right) / kCheckScenes;
}

// TrainOptions::vae_from: every VAE parameter and the scale factor of that model file.
void vae_from_model(StageContext& ctx, diffusion::AutoencoderKL& vae) {
  const auto& path = ctx.options.vae_from;
  diffusion::LoadedModel from = diffusion::load_model(path);
  const std::string what = path.filename().string();
  const std::size_t total = vae->parameters().size();
  const std::size_t copied = copy_matching_parameters(*vae, *from.vae, what);
  if (copied != total || from.vae->parameters().size() != total) {
    throw doc::Error(doc::ErrorCode::ShapeMismatch, what + ": its VAE does not match the configured one (" + std::to_string(copied) +
                                                        " of " + std::to_string(total) + " parameters found, the file has " +
                                                        std::to_string(from.vae->parameters().size()) + ")");
  }
  ctx.result.scale_factor = from.config.vae.scale_factor;
  ctx.message("VAE: taken from " + path.string() + " (scale factor " + float_string(ctx.result.scale_factor) + "), no VAE stage");
}

std::string percent(double share) { return std::to_string(static_cast<int>(std::lround(100.0 * share))) + " %"; }

}  // namespace

torch::Tensor images_tensor(const SceneBatch& batch) {
  auto rgb = torch::from_blob(const_cast<std::uint8_t*>(batch.rgb.data()), {batch.batch, batch.size, batch.size, 3},
                              torch::kUInt8);  // [B, S, S, 3]
  return rgb.permute({0, 3, 1, 2}).to(torch::kFloat32).div(127.5).sub(1.0).contiguous();  // [B, 3, S, S]
}

bool run_vae_stage(StageContext& ctx, diffusion::AutoencoderKL& vae) {
  const TrainOptions& o = ctx.options;
  if (!o.vae_from.empty()) {
    vae_from_model(ctx, vae);
    vae->eval();
    return true;
  }
  const auto path = o.out_dir / "checkpoints" / "vae.safetensors";
  auto params = trainable_parameters(*vae);
  AdamW opt(params);
  std::int64_t step = 0;
  if (auto ckpt = read_checkpoint(path)) {
    load_parameters(*vae, *ckpt, "vae.");
    step = ckpt->step();
    opt.load(ckpt->tensors, "opt.", step);
    // A finished stage is kept unless more steps are asked for now (then training goes on).
    if (ckpt->flag("done") && ckpt->metadata.count("scale_factor") && step >= o.vae_steps) {
      ctx.result.scale_factor = std::stof(ckpt->metadata.at("scale_factor"));
      ctx.message("VAE: restored finished stage from " + path.string());
      return true;
    }
    ctx.message("VAE: resuming at step " + std::to_string(step));
  } else {
    auto gen = make_generator(mix_seed(o.seed, 11));
    init_parameters(*vae, gen);
    // Start the posterior narrow (logvar ≈ -8, σ ≈ 0.02): with logvar ≈ 0 the decoder first sees
    // mostly noise, and the weak KL term makes the encoder take thousands of steps to shrink it.
    torch::NoGradGuard no_grad;
    vae->quant_conv->bias.slice(0, vae->config().latent_channels).fill_(-8.0);
  }
  auto save = [&](bool done, float scale) {
    diffusion::NamedTensors t;
    append_parameters(t, *vae, "vae.");
    opt.save(t, "opt.");
    std::map<std::string, std::string> meta{{"step", std::to_string(step)}, {"done", done ? "1" : "0"}};
    if (done) meta["scale_factor"] = float_string(scale);
    write_checkpoint(path, t, meta);
  };

  const auto device = device_of(o);
  const std::uint64_t stream = mix_seed(o.seed, kVAEStream);
  SceneBatchQueue queue(stream, step, o.vae_steps, o.vae_batch, o.image_size, 0.f);
  StageClock clock;
  vae->train();
  while (step < o.vae_steps) {
    if (ctx.must_stop(step)) {
      save(false, 0.f);
      ctx.message("VAE: stopped at step " + std::to_string(step) + ", checkpoint written");
      return false;
    }
    auto gen = make_generator(mix_seed(stream, static_cast<std::uint64_t>(step) + 0x5EEDull));
    auto x = random_crops(images_tensor(queue.next()), o.vae_crop, gen).to(device);  // [B, 3, c, c]
    torch::Tensor rec, post_mean, post_logvar;
    {
      AutocastScope autocast(o);
      auto post = diffusion::AutoencoderKLImpl::split_moments(vae->encode_moments(x));  // each [B, 4, c/8, c/8]
      auto noise = torch::randn(post.mean.sizes(), gen, torch::kFloat32).to(device);
      rec = vae->decode(post.mean + post.std * noise).to(torch::kFloat32);  // [B, 3, c, c]
      post_mean = post.mean;
      post_logvar = post.logvar;
    }
    // KL(q ‖ N(0, I)) summed over latent elements, per image; SD weighs it against a pixel-summed
    // reconstruction loss, so it is divided by the pixel count here.
    auto kl = 0.5 * (post_mean.pow(2) + post_logvar.exp() - 1.0 - post_logvar).sum({1, 2, 3}).mean();
    auto diff = rec - x;
    auto loss = diff.abs().mean() + diff.pow(2).mean() + o.vae_kl_weight * kl / static_cast<double>(x[0].numel());
    loss.backward();
    opt.step(learning_rate(o.vae_lr, step, o.warmup_steps));
    opt.zero_grad();
    ++step;
    ++clock.steps;
    const double l = loss.item<double>();
    if (!std::isfinite(l)) throw doc::Error(doc::ErrorCode::Runtime, "VAE loss is not finite at step " + std::to_string(step));
    ctx.result.vae_losses.push_back(l);
    if (ctx.hooks.on_progress) {
      const double sps = clock.seconds_per_step();
      ctx.hooks.on_progress({"vae", step, o.vae_steps, l, sps, sps * static_cast<double>(o.vae_steps - step)});
    }
    if (o.checkpoint_every > 0 && step % o.checkpoint_every == 0 && step < o.vae_steps) {
      save(false, 0.f);
      vae->eval();
      const double right = reconstruction_adherence(o, vae);
      vae->train();
      ctx.message("VAE: step " + std::to_string(step) + ", the evaluator reads " + percent(right) +
                  " of held-out reconstructions right");
    }
  }
  ctx.result.vae_seconds_per_step = clock.seconds_per_step();
  vae->eval();
  ctx.message("VAE: measuring the latent scale factor");
  const float scale = measure_scale_factor(o, vae);
  ctx.result.scale_factor = scale;
  save(true, scale);
  ctx.result.vae_reconstruction_adherence = reconstruction_adherence(o, vae);
  ctx.message("VAE: done, scale factor " + float_string(scale) + "; the evaluator reads " +
              percent(ctx.result.vae_reconstruction_adherence) + " of held-out reconstructions right");
  return true;
}

}  // namespace strata::training
