// latent_cache.h (private) — a fixed set of scenes encoded once by the frozen VAE.
//
// Encoding a 128² scene costs about as much as the UNet's forward and backward pass on its latent,
// so the LDM stage trains on a cache: `count` scenes of the stage's stream (scene i =
// sample_scene(mix(stream, i)), held-out pairs excluded), their posterior means and standard
// deviations (fp16, [N, 4, S/8, S/8]). Each step draws its items with replacement from a generator
// seeded by (stream, step), samples z0 = mean + std·n, and captions each scene afresh
// (caption(scene, mix(stream, step, i)) or "" for the empty share), so phrasings keep varying
// across epochs. Everything is a function of (stream, step): resumed runs see the same batches.
// The cache is stored in checkpoints/latents.safetensors and reused while its scene count and the
// VAE's scale factor match.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "networks/vae.h"
#include "strata/training/training.h"
#include "strata/scenes/scene.h"

namespace strata::training {

struct LatentCache {
  std::vector<scenes::Scene> scenes;   // [N]
  torch::Tensor mean, std;             // [N, 4, h, w] fp16, CPU
};

struct LatentBatch {
  torch::Tensor z0;                    // [B, 4, h, w] fp32 (unscaled)
  std::vector<std::string> captions;   // [B]
  std::vector<scenes::Scene> scenes;   // [B]: the scene each latent encodes
};

// Loads `file` when it matches (count, scale_factor), else renders and encodes the scenes (progress
// called with (done, count)) and writes `file`.
LatentCache open_latent_cache(const TrainOptions& o, diffusion::AutoencoderKL& vae, float scale_factor, std::uint64_t stream,
                              int count, const std::filesystem::path& file,
                              const std::function<void(int, int)>& progress);

LatentBatch latent_batch(const LatentCache& cache, std::uint64_t stream, std::int64_t step, int batch, float empty_share);

}  // namespace strata::training
