// latent_cache.cpp — see latent_cache.h.
#include "latent_cache.h"

#include "init.h"
#include "scene_batches.h"
#include "stages.h"
#include "state.h"

namespace strata::training {

namespace {

constexpr int kEncodeBatch = 32;

std::vector<scenes::Scene> cache_scenes(std::uint64_t stream, int count) {
  const scenes::SceneOptions options = training_scene_options();
  std::vector<scenes::Scene> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) out.push_back(scenes::sample_scene(mix_seed(stream, static_cast<std::uint64_t>(i)), options));
  return out;
}

// Scenes [first, first + n) rendered into [n, 3, S, S] in [-1, 1].
torch::Tensor render_range(const std::vector<scenes::Scene>& all, int first, int n, int size) {
  SceneBatch batch = blank_batch(0, n, size);
  for_each_item(n, [&](int i) { render_item(batch, i, all[static_cast<std::size_t>(first + i)]); });
  return images_tensor(batch);
}

}  // namespace

LatentCache open_latent_cache(const TrainOptions& o, diffusion::AutoencoderKL& vae, float scale_factor, std::uint64_t stream,
                              int count, const std::filesystem::path& file,
                              const std::function<void(int, int)>& progress) {
  LatentCache cache;
  cache.scenes = cache_scenes(stream, count);
  const std::string scale = float_string(scale_factor);
  if (auto ckpt = read_checkpoint(file)) {
    if (ckpt->metadata["scenes"] == std::to_string(count) && ckpt->metadata["scale_factor"] == scale &&
        ckpt->tensors.count("mean") && ckpt->tensors.count("std")) {
      cache.mean = ckpt->tensors.at("mean").to(torch::kFloat16);
      cache.std = ckpt->tensors.at("std").to(torch::kFloat16);
      return cache;
    }
  }
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> means, stds;
  for (int first = 0; first < count; first += kEncodeBatch) {
    const int n = std::min(kEncodeBatch, count - first);
    auto x = render_range(cache.scenes, first, n, o.image_size).to(device_of(o));
    AutocastScope autocast(o);
    auto post = diffusion::AutoencoderKLImpl::split_moments(vae->encode_moments(x));
    means.push_back(post.mean.to(torch::kFloat16).cpu());
    stds.push_back(post.std.to(torch::kFloat16).cpu());
    if (progress) progress(first + n, count);
  }
  cache.mean = torch::cat(means);
  cache.std = torch::cat(stds);
  write_checkpoint(file, {{"mean", cache.mean}, {"std", cache.std}},
                   {{"scenes", std::to_string(count)}, {"scale_factor", scale}, {"step", "0"}});
  return cache;
}

LatentBatch latent_batch(const LatentCache& cache, std::uint64_t stream, std::int64_t step, int batch, float empty_share) {
  const std::uint64_t step_seed = mix_seed(stream, static_cast<std::uint64_t>(step) + 0xCAC4Eull);
  auto gen = make_generator(step_seed);
  const auto n = static_cast<std::int64_t>(cache.scenes.size());
  auto idx = torch::randint(0, n, {batch}, gen, torch::kInt64);
  auto mean = cache.mean.index_select(0, idx).to(torch::kFloat32);
  auto std = cache.std.index_select(0, idx).to(torch::kFloat32);
  LatentBatch out;
  out.z0 = mean + std * torch::randn(mean.sizes(), gen, torch::kFloat32);
  const auto* ids = idx.data_ptr<std::int64_t>();
  for (int i = 0; i < batch; ++i) {
    const std::uint64_t c = mix_seed(step_seed, static_cast<std::uint64_t>(i));
    out.scenes.push_back(cache.scenes[static_cast<std::size_t>(ids[i])]);
    out.captions.push_back(training_caption(out.scenes.back(), c, empty_share));
  }
  return out;
}

}  // namespace strata::training
