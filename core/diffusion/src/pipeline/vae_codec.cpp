#include "pipeline/vae_codec.h"

namespace strata::diffusion {

VAEPosterior vae_encode(AutoencoderKL& vae, const torch::Tensor& image, VaeTiling tiling, const torch::Device& device,
                        torch::ScalarType dtype) {
  (void)tiling;  // whole-image path; tiling arrives with the tiled codec
  auto post = AutoencoderKLImpl::split_moments(vae->encode_moments(image.to(device, dtype)).to(torch::kFloat32));
  return {post.mean.cpu(), post.logvar.cpu(), post.std.cpu()};
}

torch::Tensor vae_decode(AutoencoderKL& vae, const torch::Tensor& latents, VaeTiling tiling, const torch::Device& device,
                         torch::ScalarType dtype) {
  (void)tiling;
  const float scale = vae->config().scale_factor;
  return vae->decode((latents / scale).to(device, dtype)).to(torch::kFloat32).cpu();
}

}  // namespace strata::diffusion
