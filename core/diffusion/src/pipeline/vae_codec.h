// vae_codec.h (private) — the pipeline's VAE encode and decode, whole or in tiles.
//
// One place where the pipeline turns images into posterior moments and latents into images, so
// that large images can be processed in overlapping tiles (GenerationRequest::vae_tiling).
// Inputs/outputs are CPU fp32; the VAE runs on its own device and dtype.
// Thread-safety: as the VAE (one thread at a time per instance).
#pragma once

#include <torch/torch.h>

#include "networks/vae.h"
#include "strata/diffusion/pipeline.h"

namespace strata::diffusion {

// image: [1, 3, H, W] in [-1, 1] (CPU fp32) → the posterior (mean, std: [1, latent, H/f, W/f], CPU fp32).
VAEPosterior vae_encode(AutoencoderKL& vae, const torch::Tensor& image, VaeTiling tiling,
                        const torch::Device& device, torch::ScalarType dtype);

// latents: UNet-space [1, latent, h, w] (CPU fp32; divided by the scale factor here)
// → image [1, 3, h·f, w·f] (CPU fp32, unclamped).
torch::Tensor vae_decode(AutoencoderKL& vae, const torch::Tensor& latents, VaeTiling tiling,
                         const torch::Device& device, torch::ScalarType dtype);

}  // namespace strata::diffusion
