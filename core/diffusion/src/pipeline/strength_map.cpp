#include "pipeline/strength_map.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace strata::diffusion {

namespace F = torch::nn::functional;

torch::Tensor strength_tensor(const GenerationRequest& r) {
  if (r.strength_map) {
    const auto& m = *r.strength_map;
    auto t = torch::from_blob(const_cast<float*>(m.pixels.data()), {1, 1, m.height, m.width}, torch::kFloat32);
    return t.clone().clamp(0.0, 1.0);
  }
  const float s = r.init_image ? static_cast<float>(r.strength) : 1.0f;
  return torch::full({1, 1, r.height, r.width}, s, torch::kFloat32);
}

torch::Tensor latent_strength(const torch::Tensor& s, int factor) {
  return F::avg_pool2d(s, F::AvgPool2dFuncOptions(factor).stride(factor));
}

torch::Tensor latent_repaint_mask(const torch::Tensor& s, int factor) {
  return F::max_pool2d((s > 0).to(torch::kFloat32), F::MaxPool2dFuncOptions(factor).stride(factor));
}

torch::Tensor paste_mask(const torch::Tensor& s, int blur) {
  auto m = (s > 0).to(torch::kFloat32);
  if (blur <= 0) return m;
  // Separable Gaussian, σ = blur px, A1111's kernel size.
  const double sigma = blur;
  const int radius = static_cast<int>(2.5 * sigma + 0.5);
  auto x = torch::arange(-radius, radius + 1, torch::kFloat32);
  auto k = torch::exp(-(x * x) / (2.0 * sigma * sigma));
  k = k / k.sum();
  auto kh = k.view({1, 1, 1, -1});
  auto kv = k.view({1, 1, -1, 1});
  m = F::pad(m, F::PadFuncOptions({radius, radius, 0, 0}).mode(torch::kReplicate));
  m = F::conv2d(m, kh);
  m = F::pad(m, F::PadFuncOptions({0, 0, radius, radius}).mode(torch::kReplicate));
  m = F::conv2d(m, kv);
  // Exact 0 and 1 where the blur leaves them (float sums of a normalised kernel can miss by 1 ulp).
  return torch::where(m < 1e-6, torch::zeros_like(m), torch::where(m > 1.0 - 1e-6, torch::ones_like(m), m));
}

doc::Image8 paste_back(const doc::Image8& original, const doc::Image8& generated, const torch::Tensor& mask) {
  doc::Image8 out = generated;
  const auto m = mask.contiguous();
  const float* w = m.data_ptr<float>();
  const std::size_t n = static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height);
  for (std::size_t i = 0; i < n; ++i) {
    const float a = w[i];
    if (a >= 1.0f) continue;
    for (std::size_t c = 0; c < 3; ++c) {
      const std::size_t k = i * 3 + c;
      if (a <= 0.0f) {
        out.pixels[k] = original.pixels[k];
      } else {
        const float v = original.pixels[k] * (1.0f - a) + generated.pixels[k] * a;
        out.pixels[k] = static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 255.0f)));
      }
    }
  }
  return out;
}

ProcessingSize processing_size(int width, int height, int native_size, bool enabled) {
  ProcessingSize p{width, height};
  if (!enabled || native_size <= 0) return p;
  const double area = static_cast<double>(native_size) * native_size;
  const double ratio = static_cast<double>(width) / height;
  auto side = [](double v) { return std::clamp(static_cast<int>(std::floor(v / 8.0)) * 8, 64, 4096); };
  const int w = side(std::sqrt(area * ratio));
  const int h = side(std::sqrt(area / ratio));
  if (w == width && h == height) return p;
  p.width = w;
  p.height = h;
  p.scaled_ = true;
  return p;
}

torch::Tensor resize_image(const torch::Tensor& x, int width, int height) {
  if (x.size(2) == height && x.size(3) == width) return x;
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{height, width})
                               .mode(torch::kBicubic)
                               .align_corners(false)
                               .antialias(true));
}

torch::Tensor resize_map(const torch::Tensor& x, int width, int height) {
  if (x.size(2) == height && x.size(3) == width) return x;
  const bool shrink = height < x.size(2) || width < x.size(3);
  auto o = F::InterpolateFuncOptions().size(std::vector<int64_t>{height, width});
  if (shrink) return F::interpolate(x, o.mode(torch::kArea)).clamp(0.0, 1.0);
  return F::interpolate(x, o.mode(torch::kBilinear).align_corners(false)).clamp(0.0, 1.0);
}

}  // namespace strata::diffusion
