// vae_codec.h (private) — the pipeline's VAE encode and decode, whole or in tiles.
//
// One place where the pipeline turns images into posterior moments and latents into images, so
// that large images can be processed in overlapping tiles (GenerationRequest::vae_tiling).
// Inputs/outputs are CPU fp32; the VAE runs on its own device and dtype.
//
// Tiles (sizes in latent units; pixels = latents × the VAE's downsample factor f):
// - Each axis is covered by the fewest tiles of `tile` latents that overlap their neighbours by at
//   least `overlap`, spread evenly from edge to edge (plan_tiles). Defaults: 64-latent tiles
//   (512 px, the size SD 1.x's VAE was trained at) with ≥ 16 latents (128 px) of overlap.
// - Neighbours are blended with a linear ramp `overlap` wide, centred in their shared strip; each
//   tile's weight is the product of its two axis ramps. The weights sum to 1 at every output pixel
//   (rows and columns each form a partition of unity), and tile borders — where zero padding
//   differs most from the whole image — get little or no weight.
// - Decode blends the decoded images (ramps `overlap·f` px wide). Encode blends the moments (mean
//   and the unclamped logvar, `overlap` latents wide), then clamps logvar and recomputes std.
// - GroupNorm statistics are per tile, so a tiled result differs slightly from the whole one (as in
//   diffusers' enable_vae_tiling and A1111's Tiled VAE); tests bound the difference on the kits.
//
// When tiles are used (use_tiles): Off never; On whenever the latent is larger than one tile on
// either axis; Auto when the latent area exceeds kVaeAutoMaxLatentArea (128² latents = a 1024² px
// image: SDXL's native size still decodes whole. A whole fp32 CPU decode of the SD VAE needs
// ~3.5 GiB above the weights at 1024² px and grows with the area: ~14 GiB at 2048², ~56 GiB at
// 4096²; tiled, it stays near the 512² figure, ~1 GiB — docs/PERFORMANCE.md "Tiled VAE") and it is
// larger than one tile. Tiled encode also needs image sides that are multiples of f (the pipeline's are);
// otherwise the whole image is encoded.
// Thread-safety: as the VAE (one thread at a time per instance).
#pragma once

#include <torch/torch.h>

#include <functional>
#include <vector>

#include "networks/vae.h"
#include "strata/diffusion/pipeline.h"

namespace strata::diffusion {

struct VaeTileSize {
  int64_t tile = 64;     // latents per tile side
  int64_t overlap = 16;  // minimum overlap of neighbours, latents; 1 ≤ overlap ≤ tile / 3
};

inline constexpr int64_t kVaeAutoMaxLatentArea = 128 * 128;

// Whether a latent of h × w is processed in tiles under `tiling`.
bool use_tiles(VaeTiling tiling, int64_t h, int64_t w, const VaeTileSize& size = {});

// image: [1, 3, H, W] in [-1, 1] (CPU fp32) → the posterior (mean, std: [1, latent, H/f, W/f], CPU fp32).
VAEPosterior vae_encode(AutoencoderKL& vae, const torch::Tensor& image, VaeTiling tiling,
                        const torch::Device& device, torch::ScalarType dtype);

// latents: UNet-space [1, latent, h, w] (CPU fp32; divided by the scale factor here)
// → image [1, 3, h·f, w·f] (CPU fp32, unclamped).
torch::Tensor vae_decode(AutoencoderKL& vae, const torch::Tensor& latents, VaeTiling tiling,
                         const torch::Device& device, torch::ScalarType dtype);

// --- Internals, exposed for tests and the benchmark -------------------------------------------

// One tile along one axis, latent units: [start, start + size).
struct TileSpan {
  int64_t start = 0, size = 0;
};

// The tiles covering [0, n): one tile of n when n ≤ tile; else the fewest tiles of `tile` whose
// neighbours overlap by ≥ overlap, first at 0, last ending at n, starts evenly spread.
std::vector<TileSpan> plan_tiles(int64_t n, int64_t tile, int64_t overlap);

// Each span's blend weights over its own output range ([size · scale], fp32), `scale` output units
// per latent. Placed at start · scale and summed, they give 1 everywhere in [0, n · scale).
std::vector<torch::Tensor> blend_weights(const std::vector<TileSpan>& spans, int64_t overlap, int64_t scale);

// Blends fn over the tiles of x. x: [N, C, h·in_scale, w·in_scale]; fn maps a tile of t_h × t_w
// latents ([N, C, t_h·in_scale, t_w·in_scale]) to [N, C', t_h·out_scale, t_w·out_scale] (CPU fp32)
// → [N, C', h·out_scale, w·out_scale] (CPU fp32).
torch::Tensor blend_tiles(const torch::Tensor& x, int64_t in_scale, int64_t out_scale, const VaeTileSize& size,
                          const std::function<torch::Tensor(const torch::Tensor&)>& fn);

// Always-tiled forms of vae_encode / vae_decode (one tile gives the whole result).
VAEPosterior vae_encode_tiled(AutoencoderKL& vae, const torch::Tensor& image, const VaeTileSize& size,
                              const torch::Device& device, torch::ScalarType dtype);
torch::Tensor vae_decode_tiled(AutoencoderKL& vae, const torch::Tensor& latents, const VaeTileSize& size,
                               const torch::Device& device, torch::ScalarType dtype);

}  // namespace strata::diffusion
