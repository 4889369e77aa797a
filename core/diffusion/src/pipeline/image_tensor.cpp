#include "pipeline/image_tensor.h"

#include <cstring>

namespace strata::diffusion {

torch::Tensor image_to_tensor(const doc::Image8& image) {
  auto bytes = torch::from_blob(const_cast<std::uint8_t*>(image.pixels.data()),
                                {image.height, image.width, image.channels}, torch::kUInt8);
  // x: [H, W, 3] uint8 → [1, 3, H, W] float in [-1, 1]
  return bytes.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div(127.5).sub(1.0).contiguous();
}

doc::Image8 unit_tensor_to_image(const torch::Tensor& x) {
  // x: [1, 3, H, W] in [0, 1]
  auto u8 = x.detach().to(torch::kCPU, torch::kFloat32).clamp(0.0, 1.0).mul(255.0).round()
                .to(torch::kUInt8)[0].permute({1, 2, 0}).contiguous();
  doc::Image8 out(static_cast<int>(u8.size(1)), static_cast<int>(u8.size(0)), 3);
  std::memcpy(out.pixels.data(), u8.data_ptr<std::uint8_t>(), out.pixels.size());
  return out;
}

doc::Image8 tensor_to_image(const torch::Tensor& x) {
  return unit_tensor_to_image(x.to(torch::kFloat32) / 2.0 + 0.5);
}

}  // namespace strata::diffusion
