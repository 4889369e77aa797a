// latent_rgb.h (private) — the linear latent → RGB projection behind live previews.
//
// A projection is 15 numbers: a 4×3 matrix (rows: UNet-space latent channels; columns: R, G, B)
// row by row, then the RGB bias; rgb = latent · M + b, nominally in [-1, 1]. Which one a model
// uses (preview_projection): the one stored in its file ("strata.preview.latent_rgb", read into
// VAEConfig::latent_rgb) → SD's or SDXL's table when the VAE is that family's (research notes
// anchors-features.md §3, stable-diffusion.cpp's fits) → else fitted at load on its own VAE.
// Fitting (fit_latent_rgb): synthetic colour patches and gradients are encoded to their posterior
// means, decoded, the decoded RGB averaged over each latent pixel's block, and the projection is
// the least-squares solution of RGB ≈ [latent, 1] · W over all latent pixels.
// Thread-safety: pure functions; the VAE overload runs the module (one thread at a time).
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "networks/vae.h"

namespace strata::diffusion {

// The __metadata__ key the projection is stored under.
inline constexpr const char* kLatentRgbKey = "strata.preview.latent_rgb";

// stable-diffusion.cpp's fits for SD 1.x/2.x's VAE and SDXL's (latent-preview.h).
const std::vector<float>& sd_latent_rgb();
const std::vector<float>& sdxl_latent_rgb();

// How the projection of `config` was chosen: "stored", "sd", "sdxl" or "" (fit it).
std::string latent_rgb_source(const VAEConfig& config);

// Least squares on UNet-space latents [N, 4, h, w] and RGB [N, 3, h, w] (same h, w) in [-1, 1].
std::vector<float> fit_latent_rgb(const torch::Tensor& latents, const torch::Tensor& rgb);
// Fits the projection of `vae` on synthetic images, on the VAE's device and dtype; the UNet-space
// latent is the VAE latent × scale_factor.
std::vector<float> fit_latent_rgb(AutoencoderKL& vae, float scale_factor);

// The projection a model's previews use (order in the file comment); fits when nothing else fits.
struct PreviewProjection {
  std::vector<float> rgb;
  std::string source;  // latent_rgb_source's answer; "" = fitted now
};
PreviewProjection preview_projection(AutoencoderKL& vae);

// `p` as the metadata value: a JSON array of 15 numbers.
std::string latent_rgb_metadata(const std::vector<float>& p);

// Applies `p` to latents [N, 4, h, w] → RGB [N, 3, h, w] (CPU, fp32).
torch::Tensor apply_latent_rgb(const torch::Tensor& latents, const std::vector<float>& p);

}  // namespace strata::diffusion
