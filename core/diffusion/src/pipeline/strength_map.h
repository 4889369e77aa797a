// strength_map.h (private) — per-pixel denoising strength (DESIGN.md §3) in tensor form: the map at
// pixel and latent resolution, the paste-back mask, and "scale before processing" sizes.
// All tensors here are float32 on the CPU, NCHW with N = 1.
#pragma once

#include <torch/torch.h>

#include "strata/diffusion/pipeline.h"

namespace strata::diffusion {

// The request's strength per pixel as [1,1,H,W] in [0,1]: its strength_map when given, else the
// scalar strength with an init image, else 1 (txt2img).
torch::Tensor strength_tensor(const GenerationRequest& request);

// S at latent resolution: the mean over each factor×factor block (8×8 for SD's VAE). [1,1,H/f,W/f]
torch::Tensor latent_strength(const torch::Tensor& s, int factor);

// 1 in every latent cell where any pixel has S > 0 (the region an inpainting UNet repaints).
torch::Tensor latent_repaint_mask(const torch::Tensor& s, int factor);

// The paste-back mask: (S > 0) blurred by a Gaussian of σ = blur pixels (A1111's mask blur: kernel
// 2·int(2.5σ + 0.5) + 1, edges replicated); blur 0 leaves it hard. [1,1,H,W] in [0,1].
torch::Tensor paste_mask(const torch::Tensor& s, int blur);

// original·(1 − m) + generated·m per pixel, rounded; where m = 0 the original comes out exactly,
// where m = 1 the generated pixel does. Both images RGB of the mask's size.
doc::Image8 paste_back(const doc::Image8& original, const doc::Image8& generated, const torch::Tensor& mask);

// Size to generate at for a width × height request. Scaling on: about native² pixels with the same
// aspect ratio, each side a multiple of 8 within 64…4096 (InvokeAI's "scale before processing");
// off, or already that size: the request's own size.
struct ProcessingSize {
  int width = 0, height = 0;
  bool scaled() const { return scaled_; }
  bool scaled_ = false;
};
ProcessingSize processing_size(int width, int height, int native_size, bool enabled);

// Resizes [1,C,H,W] to height × width: bicubic with antialiasing for images, bilinear (area when
// shrinking) for maps. Returns the input when the size already matches.
torch::Tensor resize_image(const torch::Tensor& x, int width, int height);
torch::Tensor resize_map(const torch::Tensor& x, int width, int height);

}  // namespace strata::diffusion
