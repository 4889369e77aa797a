// latent_preview.h (private) — cheap latent → RGB previews.
//
// The linear projection applies a 4×3 matrix and a bias to the UNet-space latent (research
// anchors-features.md §3; coefficients fitted by stable-diffusion.cpp for SD 1.x) and upsamples
// ×8 (nearest) to image size.
#pragma once

#include <torch/torch.h>

#include "strata/doc/image.h"

namespace strata::diffusion {

// latent: [1, 4, h, w] UNet-space → RGB image of size (8w × 8h).
doc::Image8 linear_preview(const torch::Tensor& latent);

}  // namespace strata::diffusion
