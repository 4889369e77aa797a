#include "pipeline/vae_codec.h"

#include <algorithm>

namespace strata::diffusion {

namespace {

void check_size(const VaeTileSize& s) {
  TORCH_CHECK(s.overlap >= 1 && s.tile >= 3 * s.overlap, "VAE tiles: need 1 ≤ overlap ≤ tile/3, got tile ",
              s.tile, ", overlap ", s.overlap);
}

// moments (CPU fp32) → posterior (CPU fp32)
VAEPosterior encode_whole(AutoencoderKL& vae, const torch::Tensor& image, const torch::Device& device,
                          torch::ScalarType dtype) {
  auto post = AutoencoderKLImpl::split_moments(vae->encode_moments(image.to(device, dtype)).to(torch::kFloat32));
  return {post.mean.cpu(), post.logvar.cpu(), post.std.cpu()};
}

// z: VAE-space latent (CPU fp32) → image (CPU fp32)
torch::Tensor decode_whole(AutoencoderKL& vae, const torch::Tensor& z, const torch::Device& device,
                           torch::ScalarType dtype) {
  return vae->decode(z.to(device, dtype)).to(torch::kFloat32).cpu();
}

}  // namespace

bool use_tiles(VaeTiling tiling, int64_t h, int64_t w, const VaeTileSize& size) {
  const bool larger_than_tile = h > size.tile || w > size.tile;
  switch (tiling) {
    case VaeTiling::Off: return false;
    case VaeTiling::On: return larger_than_tile;
    case VaeTiling::Auto: return larger_than_tile && h * w > kVaeAutoMaxLatentArea;
  }
  return false;
}

std::vector<TileSpan> plan_tiles(int64_t n, int64_t tile, int64_t overlap) {
  TORCH_CHECK(n >= 1 && tile > overlap && overlap >= 0, "plan_tiles: n ", n, ", tile ", tile, ", overlap ", overlap);
  if (n <= tile) return {{0, n}};
  // k tiles need (k − 1) strides of at most tile − overlap to cover n − tile.
  const int64_t k = 1 + (n - tile + (tile - overlap) - 1) / (tile - overlap);
  std::vector<TileSpan> spans;
  for (int64_t i = 0; i < k; ++i) spans.push_back({i * (n - tile) / (k - 1), tile});
  return spans;
}

std::vector<torch::Tensor> blend_weights(const std::vector<TileSpan>& spans, int64_t overlap, int64_t scale) {
  // Between spans i and i+1 the ramp runs over [c − overlap/2, c + overlap/2], c the centre of their
  // shared strip. Consecutive ramps must not meet, so that at most two weights differ from 0 and 1.
  const auto n = spans.size();
  std::vector<double> centre(n > 0 ? n - 1 : 0);
  for (size_t i = 0; i + 1 < n; ++i) {
    const auto& a = spans[i];
    const auto& b = spans[i + 1];
    TORCH_CHECK(a.start + a.size - b.start >= overlap, "blend_weights: tiles ", i, " and ", i + 1,
                " overlap by less than ", overlap);
    centre[i] = 0.5 * static_cast<double>(b.start + a.start + a.size);
    TORCH_CHECK(i == 0 || centre[i] - centre[i - 1] >= static_cast<double>(overlap),
                "blend_weights: ramps ", i - 1, " and ", i, " overlap");
  }
  const double half = 0.5 * static_cast<double>(overlap);
  std::vector<torch::Tensor> weights;
  for (size_t i = 0; i < n; ++i) {
    // p: the latent-unit coordinate of each output pixel's centre.
    auto p = (torch::arange(spans[i].size * scale, torch::kFloat64) + static_cast<double>(spans[i].start * scale) + 0.5) /
             static_cast<double>(scale);
    auto w = torch::ones_like(p);
    if (i > 0) w = w * ((p - (centre[i - 1] - half)) / static_cast<double>(overlap)).clamp(0.0, 1.0);
    if (i + 1 < n) w = w * (((centre[i] + half) - p) / static_cast<double>(overlap)).clamp(0.0, 1.0);
    weights.push_back(w.to(torch::kFloat32));
  }
  return weights;
}

torch::Tensor blend_tiles(const torch::Tensor& x, int64_t in_scale, int64_t out_scale, const VaeTileSize& size,
                          const std::function<torch::Tensor(const torch::Tensor&)>& fn) {
  check_size(size);
  TORCH_CHECK(x.dim() == 4 && x.size(2) % in_scale == 0 && x.size(3) % in_scale == 0,
              "blend_tiles: expected [N, C, H, W] with H, W multiples of ", in_scale, ", got ", x.sizes());
  const int64_t h = x.size(2) / in_scale, w = x.size(3) / in_scale;
  const auto rows = plan_tiles(h, size.tile, size.overlap);
  const auto cols = plan_tiles(w, size.tile, size.overlap);
  const auto row_w = blend_weights(rows, size.overlap, out_scale);
  const auto col_w = blend_weights(cols, size.overlap, out_scale);
  torch::Tensor out;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < cols.size(); ++c) {
      using torch::indexing::Slice;
      const auto& rs = rows[r];
      const auto& cs = cols[c];
      auto tile = x.index({Slice(), Slice(), Slice(rs.start * in_scale, (rs.start + rs.size) * in_scale),
                           Slice(cs.start * in_scale, (cs.start + cs.size) * in_scale)});
      auto y = fn(tile);  // [N, C', rs.size·out, cs.size·out]
      TORCH_CHECK(y.dim() == 4 && y.size(2) == rs.size * out_scale && y.size(3) == cs.size * out_scale,
                  "blend_tiles: a tile of ", tile.sizes(), " gave ", y.sizes());
      if (!out.defined()) out = torch::zeros({y.size(0), y.size(1), h * out_scale, w * out_scale}, torch::kFloat32);
      auto weight = row_w[r].view({1, 1, -1, 1}) * col_w[c].view({1, 1, 1, -1});
      out.index({Slice(), Slice(), Slice(rs.start * out_scale, (rs.start + rs.size) * out_scale),
                 Slice(cs.start * out_scale, (cs.start + cs.size) * out_scale)})
          .add_(y.to(torch::kFloat32) * weight);
    }
  }
  return out;
}

VAEPosterior vae_encode_tiled(AutoencoderKL& vae, const torch::Tensor& image, const VaeTileSize& size,
                              const torch::Device& device, torch::ScalarType dtype) {
  const int64_t f = vae->config().downsample_factor();
  auto moments = blend_tiles(image, f, 1, size, [&](const torch::Tensor& tile) {
    return vae->encode_moments(tile.to(device, dtype)).to(torch::kFloat32).cpu();
  });
  auto post = AutoencoderKLImpl::split_moments(moments);
  return {post.mean, post.logvar, post.std};
}

torch::Tensor vae_decode_tiled(AutoencoderKL& vae, const torch::Tensor& latents, const VaeTileSize& size,
                               const torch::Device& device, torch::ScalarType dtype) {
  const int64_t f = vae->config().downsample_factor();
  const auto z = latents / vae->config().scale_factor;
  return blend_tiles(z, 1, f, size, [&](const torch::Tensor& tile) { return decode_whole(vae, tile, device, dtype); });
}

VAEPosterior vae_encode(AutoencoderKL& vae, const torch::Tensor& image, VaeTiling tiling, const torch::Device& device,
                        torch::ScalarType dtype) {
  const int64_t f = vae->config().downsample_factor();
  const bool whole_latents = image.size(2) % f == 0 && image.size(3) % f == 0;
  if (whole_latents && use_tiles(tiling, image.size(2) / f, image.size(3) / f)) {
    return vae_encode_tiled(vae, image, {}, device, dtype);
  }
  return encode_whole(vae, image, device, dtype);
}

torch::Tensor vae_decode(AutoencoderKL& vae, const torch::Tensor& latents, VaeTiling tiling, const torch::Device& device,
                         torch::ScalarType dtype) {
  if (use_tiles(tiling, latents.size(2), latents.size(3))) return vae_decode_tiled(vae, latents, {}, device, dtype);
  return decode_whole(vae, latents / vae->config().scale_factor, device, dtype);
}

}  // namespace strata::diffusion
