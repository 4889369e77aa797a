// latent_preview.h (private) — cheap latent → RGB previews.
//
// The linear projection (networks/latent_rgb.h: 4×3 matrix and bias, chosen per model) is applied
// to the UNet-space latent and the result upsampled ×8 (nearest) to image size.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "strata/doc/image.h"

namespace strata::diffusion {

// latent: [1, 4, h, w] UNet-space, projection: 15 numbers → RGB image of size (8w × 8h).
doc::Image8 linear_preview(const torch::Tensor& latent, const std::vector<float>& projection);

}  // namespace strata::diffusion
