#include "strata/doc/compose.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "blend.h"
#include "strata/doc/error.h"

namespace strata::doc {

namespace {

std::vector<float> gaussian_kernel(int radius) {
  const double sigma = radius / 3.0;
  std::vector<float> k(static_cast<std::size_t>(2 * radius + 1));
  double sum = 0;
  for (int i = -radius; i <= radius; ++i) {
    const double v = std::exp(-0.5 * (i * i) / (sigma * sigma));
    k[static_cast<std::size_t>(i + radius)] = static_cast<float>(v);
    sum += v;
  }
  for (float& v : k) v = static_cast<float>(v / sum);
  return k;
}

// One 1-D pass: `count` lines of `length` samples, `stride` apart within a line, `step` between lines.
void blur_pass(std::vector<float>& plane, const std::vector<float>& k, int radius, int count, int length,
               std::size_t stride, std::size_t step) {
  std::vector<float> line(static_cast<std::size_t>(length));
  for (int n = 0; n < count; ++n) {
    float* base = plane.data() + static_cast<std::size_t>(n) * step;
    for (int i = 0; i < length; ++i) line[static_cast<std::size_t>(i)] = base[static_cast<std::size_t>(i) * stride];
    for (int i = 0; i < length; ++i) {
      float acc = 0;
      for (int j = -radius; j <= radius; ++j) {
        const int src = std::clamp(i + j, 0, length - 1);
        acc += k[static_cast<std::size_t>(j + radius)] * line[static_cast<std::size_t>(src)];
      }
      base[static_cast<std::size_t>(i) * stride] = acc;
    }
  }
}

// Adds one visible mask into V (max), see rule 3. Returns whether it reaches into `rect` (V > 0 there).
bool accumulate_mask(const Layer& mask, const Rect& rect, std::vector<float>& v) {
  const int r = mask.feather;
  if (!mask.inverted && intersect(mask.content_bounds().expanded(r), rect).empty()) return false;
  const Rect src = rect.expanded(r);
  const Image8 cov = mask.pixels.read(src.translated(-mask.x, -mask.y));
  std::vector<float> value(cov.pixels.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::uint8_t c = mask.inverted ? static_cast<std::uint8_t>(255 - cov.pixels[i]) : cov.pixels[i];
    value[i] = c / 255.0f;
  }
  feather_blur(value, src.width, src.height, r);
  bool any = false;
  for (int y = 0; y < rect.height; ++y) {
    for (int x = 0; x < rect.width; ++x) {
      const std::size_t from = static_cast<std::size_t>(y + r) * static_cast<std::size_t>(src.width) +
                               static_cast<std::size_t>(x + r);
      const std::size_t to = static_cast<std::size_t>(y) * static_cast<std::size_t>(rect.width) + static_cast<std::size_t>(x);
      v[to] = std::max(v[to], value[from]);
      any = any || value[from] > 0.0f;
    }
  }
  return any;
}

// src-over of one raster layer onto the premultiplied accumulators of `part` (row-major, part-sized).
void accumulate_raster(const Layer& l, const Rect& part, float* rgb, float* alpha, float* s) {
  const Image8 px = l.pixels.read(part.translated(-l.x, -l.y));
  const std::size_t n = static_cast<std::size_t>(part.area());
  const std::uint8_t* q = px.pixels.data();
  for (std::size_t i = 0; i < n; ++i, q += 4) detail::accumulate_over(q, l.opacity, rgb + i * 3, alpha + i, l.strength, s + i);
}

}  // namespace

void feather_blur(std::vector<float>& plane, int width, int height, int radius) {
  if (radius <= 0 || width <= 0 || height <= 0) return;
  const std::vector<float> k = gaussian_kernel(radius);
  const auto w = static_cast<std::size_t>(width);
  blur_pass(plane, k, radius, height, width, 1, w);  // rows
  blur_pass(plane, k, radius, width, height, w, 1);  // columns
}

Composition compose(const Document& doc, const Rect& rect) {
  if (rect.empty()) throw Error(ErrorCode::InvalidArgument, "compose " + to_string(rect) + ": the area is empty");
  if (rect.area() > max_compose_area) {
    throw Error(ErrorCode::TooLarge, "compose " + to_string(rect) + ": expected at most " +
                                         std::to_string(max_compose_area) + " pixels, found " +
                                         std::to_string(rect.area()));
  }
  const std::size_t n = static_cast<std::size_t>(rect.area());
  // Premultiplied colour, alpha and raster strength, accumulated bottom → top.
  std::vector<float> rgb(n * 3, 0.0f), alpha(n, 0.0f), s(n, 1.0f), v(n, 0.0f);
  bool has_mask = false;
  for (const Layer& l : doc.layers()) {
    if (l.visible && l.is_mask()) has_mask = accumulate_mask(l, rect, v) || has_mask;
  }
  for (const Layer& l : doc.layers()) (void)l.content_bounds();  // fill the bounds caches before threads read them
  // Raster layers in horizontal bands, one per core: each band reads only its rows of each layer.
  const int bands = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, std::max(1, rect.height / 64));
  auto run_band = [&](int band) {
    const int y0 = rect.height * band / bands, y1 = rect.height * (band + 1) / bands;
    const Rect part{rect.x, rect.y + y0, rect.width, y1 - y0};
    const std::size_t off = static_cast<std::size_t>(y0) * static_cast<std::size_t>(rect.width);
    for (const Layer& l : doc.layers()) {
      if (!l.visible || l.is_mask() || l.opacity <= 0.0f || intersect(l.content_bounds(), part).empty()) continue;
      accumulate_raster(l, part, rgb.data() + off * 3, alpha.data() + off, s.data() + off);
    }
  };
  std::vector<std::thread> workers;
  for (int b = 1; b < bands; ++b) workers.emplace_back(run_band, b);
  run_band(0);
  for (auto& w : workers) w.join();

  Composition out{rect, Image8(rect.width, rect.height, 4), ImageF(rect.width, rect.height, 1), has_mask};
  for (std::size_t i = 0; i < n; ++i) {
    detail::straight_rgba(&rgb[i * 3], alpha[i], &out.rgba.pixels[i * 4]);
    float strength = 1.0f;
    if (out.rgba.pixels[i * 4 + 3] > 0) strength = has_mask ? (1.0f - alpha[i]) + alpha[i] * v[i] : s[i];
    out.strength.pixels[i] = std::clamp(strength, 0.0f, 1.0f);
  }
  return out;
}

}  // namespace strata::doc
