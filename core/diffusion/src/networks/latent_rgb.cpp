// The latent → RGB preview projection: tables, the choice per model, least-squares fitting.
#include "networks/latent_rgb.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace strata::diffusion {

const std::vector<float>& sd_latent_rgb() {
  // Ref: leejet/stable-diffusion.cpp src/runtime/latent-preview.h (SD 1.x, also used for SD 2.x).
  static const std::vector<float> p{0.337366f, 0.216344f,  0.257386f,  0.165636f,  0.386828f,  0.046994f,  -0.267803f, 0.237036f,
                                    0.223517f, -0.178022f, -0.200862f, -0.678514f, -0.017478f, -0.055834f, -0.105825f};
  return p;
}

const std::vector<float>& sdxl_latent_rgb() {
  // Ref: leejet/stable-diffusion.cpp src/runtime/latent-preview.h (SDXL).
  static const std::vector<float> p{0.258303f, 0.277640f,  0.329699f,  -0.299701f, 0.105446f, 0.014194f, 0.050522f, 0.186163f,
                                    -0.143257f, -0.211938f, -0.149892f, -0.080036f, 0.144381f, -0.033313f, 0.007061f};
  return p;
}

std::string latent_rgb_source(const VAEConfig& c) {
  if (c.latent_rgb.size() == 15) return "stored";
  // SD's VAE layout and scale: SD 1.x and 2.x share it; SDXL's differs only in the scale factor.
  const bool sd_layout = c.in_channels == 3 && c.latent_channels == 4 && c.base_channels == 128 && c.norm_groups == 32 &&
                         c.num_res_blocks == 2 && c.channel_mult == std::vector<int>{1, 2, 4, 4};
  if (sd_layout && std::abs(c.scale_factor - 0.18215f) < 1e-5f) return "sd";
  if (sd_layout && std::abs(c.scale_factor - 0.13025f) < 1e-5f) return "sdxl";
  return "";
}

std::vector<float> fit_latent_rgb(const torch::Tensor& latents, const torch::Tensor& rgb) {
  TORCH_CHECK(latents.dim() == 4 && latents.size(1) == 4 && rgb.dim() == 4 && rgb.size(1) == 3 &&
              latents.size(0) == rgb.size(0) && latents.size(2) == rgb.size(2) && latents.size(3) == rgb.size(3));
  auto x = latents.detach().to(torch::kCPU, torch::kFloat64).permute({0, 2, 3, 1}).reshape({-1, 4});
  x = torch::cat({x, torch::ones({x.size(0), 1}, torch::kFloat64)}, 1);  // [P, 5]
  auto y = rgb.detach().to(torch::kCPU, torch::kFloat64).permute({0, 2, 3, 1}).reshape({-1, 3});
  // Normal equations with a tiny ridge (keeps a degenerate channel from blowing up).
  auto w = torch::linalg_solve(x.t().mm(x) + 1e-8 * torch::eye(5, torch::kFloat64), x.t().mm(y)).contiguous();  // [5, 3]
  const double* d = w.data_ptr<double>();
  return std::vector<float>(d, d + 15);
}

namespace {

// Synthetic images [16, 3, 64, 64] in [-1, 1]: blocks of random colours (4×4 and 2×2 grids), smooth
// two-colour gradients and discs on flat backgrounds, from a fixed seed.
torch::Tensor fitting_images() {
  auto gen = at::detail::createCPUGenerator(20240521);
  const int n = 16, side = 64;
  std::vector<torch::Tensor> out;
  auto colour = [&] { return torch::rand({1, 3, 1, 1}, gen) * 2 - 1; };
  auto ramp = torch::linspace(0, 1, side).view({1, 1, 1, side});
  auto yy = torch::arange(side).view({side, 1}).expand({side, side}).to(torch::kFloat32);
  auto xx = torch::arange(side).view({1, side}).expand({side, side}).to(torch::kFloat32);
  for (int i = 0; i < n; ++i) {
    torch::Tensor img;
    switch (i % 4) {
      case 0:
      case 1: {
        const int grid = i % 4 == 0 ? 4 : 2;
        auto blocks = torch::rand({1, 3, grid, grid}, gen) * 2 - 1;
        img = torch::upsample_nearest2d(blocks, {side, side});
        break;
      }
      case 2: {
        auto a = colour(), b = colour();
        img = a + (b - a) * (i % 8 == 2 ? ramp : ramp.transpose(2, 3));
        break;
      }
      default: {
        auto bg = colour(), fg = colour();
        const auto r = (torch::rand({1}, gen) * 16 + 8).item<float>();
        auto disc = ((xx - side / 2.f).pow(2) + (yy - side / 2.f).pow(2) <= r * r).to(torch::kFloat32).view({1, 1, side, side});
        img = bg + (fg - bg) * disc;
      }
    }
    out.push_back(img.expand({1, 3, side, side}));
  }
  return torch::cat(out, 0).clamp(-1, 1);
}

}  // namespace

std::vector<float> fit_latent_rgb(AutoencoderKL& vae, float scale_factor) {
  torch::NoGradGuard no_grad;
  const auto& c = vae->config();
  const auto p = *vae->parameters().begin();
  auto images = fitting_images().to(p.device(), p.scalar_type());
  auto mean = AutoencoderKLImpl::split_moments(vae->encode_moments(images)).mean;  // fp32
  auto decoded = vae->decode(mean.to(p.scalar_type())).to(torch::kFloat32).cpu().clamp(-1, 1);
  const int f = c.downsample_factor();
  auto rgb = torch::avg_pool2d(decoded, {f, f});
  return fit_latent_rgb(mean.cpu() * scale_factor, rgb);
}

PreviewProjection preview_projection(AutoencoderKL& vae) {
  std::string source = latent_rgb_source(vae->config());
  if (source == "stored") return {vae->config().latent_rgb, source};
  if (source == "sd") return {sd_latent_rgb(), source};
  if (source == "sdxl") return {sdxl_latent_rgb(), source};
  return {fit_latent_rgb(vae, vae->config().scale_factor), source};
}

std::string latent_rgb_metadata(const std::vector<float>& p) {
  auto j = nlohmann::json::array();
  for (float v : p) j.push_back(std::round(static_cast<double>(v) * 1e6) / 1e6);
  return j.dump();
}

torch::Tensor apply_latent_rgb(const torch::Tensor& latents, const std::vector<float>& p) {
  TORCH_CHECK(p.size() == 15 && latents.dim() == 4 && latents.size(1) == 4);
  auto w = torch::tensor(p, torch::kFloat32).view({5, 3});
  auto l = latents.detach().to(torch::kCPU, torch::kFloat32).permute({0, 2, 3, 1});  // [N, h, w, 4]
  return torch::matmul(l, w.slice(0, 0, 4)).add(w[4]).permute({0, 3, 1, 2}).contiguous();
}

}  // namespace strata::diffusion
