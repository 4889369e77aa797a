// image_tensor.h (private) — conversions between doc images and NCHW float tensors.
#pragma once

#include <torch/torch.h>

#include "strata/doc/image.h"

namespace strata::diffusion {

// RGB Image8 → [1,3,H,W] float32 in [-1,1] (x/127.5 − 1, as diffusers' preprocess).
torch::Tensor image_to_tensor(const doc::Image8& image);

// [1,3,H,W] nominal [-1,1] → RGB Image8: round(255·clamp(x/2 + 0.5, 0, 1)).
doc::Image8 tensor_to_image(const torch::Tensor& x);

// [1,3,H,W] in [0,1] → RGB Image8 (TAESD output, previews).
doc::Image8 unit_tensor_to_image(const torch::Tensor& x);

}  // namespace strata::diffusion
