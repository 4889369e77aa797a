#include "pipeline/latent_preview.h"

#include "pipeline/image_tensor.h"

namespace strata::diffusion {

doc::Image8 linear_preview(const torch::Tensor& latent) {
  // Rows: latent channels; columns: R, G, B. Ref: leejet/stable-diffusion.cpp latent-preview.h (SD 1.x).
  static const float kMatrix[4][3] = {{0.337366f, 0.216344f, 0.257386f},
                                      {0.165636f, 0.386828f, 0.046994f},
                                      {-0.267803f, 0.237036f, 0.223517f},
                                      {-0.178022f, -0.200862f, -0.678514f}};
  static const float kBias[3] = {-0.017478f, -0.055834f, -0.105825f};
  auto m = torch::from_blob(const_cast<float*>(&kMatrix[0][0]), {4, 3}, torch::kFloat32);
  auto b = torch::from_blob(const_cast<float*>(kBias), {3}, torch::kFloat32);
  // latent: [1, 4, h, w] → [h, w, 4] · [4, 3] + b → [1, 3, h, w] in [-1, 1]
  auto l = latent.detach().to(torch::kCPU, torch::kFloat32)[0].permute({1, 2, 0});
  auto rgb = torch::matmul(l, m).add(b).permute({2, 0, 1}).unsqueeze(0);
  rgb = torch::upsample_nearest2d(rgb, {rgb.size(2) * 8, rgb.size(3) * 8});
  return tensor_to_image(rgb);
}

}  // namespace strata::diffusion
