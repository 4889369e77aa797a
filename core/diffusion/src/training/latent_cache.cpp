// training/latent_cache.cpp — see latent_cache.h.
#include "training/latent_cache.h"

#include "strata/scenes/caption.h"
#include "strata/scenes/held_out.h"
#include "strata/scenes/render.h"
#include "training/init.h"
#include "training/state.h"

namespace strata::diffusion::training {

namespace {

constexpr int kEncodeBatch = 32;

std::vector<scenes::Scene> cache_scenes(std::uint64_t stream, int count) {
  scenes::SceneOptions options;
  options.excluded = scenes::held_out_pairs();
  std::vector<scenes::Scene> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) out.push_back(scenes::sample_scene(mix_seed(stream, static_cast<std::uint64_t>(i)), options));
  return out;
}

// Scenes [first, first + n) rendered into [n, 3, S, S] in [-1, 1].
torch::Tensor render_range(const std::vector<scenes::Scene>& all, int first, int n, int size) {
  auto x = torch::empty({n, size, size, 3}, torch::kUInt8);
  const std::size_t plane = static_cast<std::size_t>(size) * static_cast<std::size_t>(size) * 3;
  for (int i = 0; i < n; ++i) {
    const doc::Image8 image = scenes::render(all[static_cast<std::size_t>(first + i)], size, size);
    std::memcpy(x.data_ptr<std::uint8_t>() + plane * static_cast<std::size_t>(i), image.pixels.data(), plane);
  }
  return x.permute({0, 3, 1, 2}).to(torch::kFloat32).div(127.5).sub(1.0).contiguous();
}

}  // namespace

LatentCache open_latent_cache(const TrainOptions& o, AutoencoderKL& vae, float scale_factor, std::uint64_t stream,
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
    auto post = AutoencoderKLImpl::split_moments(vae->encode_moments(x));
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
    const double u = static_cast<double>(c >> 11) * 0x1.0p-53;  // uniform [0, 1)
    out.captions.push_back(u < empty_share ? std::string() : scenes::caption(cache.scenes[static_cast<std::size_t>(ids[i])], c));
  }
  return out;
}

}  // namespace strata::diffusion::training
