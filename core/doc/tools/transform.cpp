#include "strata/doc/tools/transform.h"

#include <algorithm>
#include <cmath>

#include "strata/doc/commands.h"
#include "strata/doc/error.h"

namespace strata::doc {

namespace {

// Premultiplied float copy of `img` (alpha last; a 1-channel image is its own alpha).
std::vector<float> premultiplied(const Image8& img) {
  std::vector<float> out(img.pixels.size());
  const int c = img.channels;
  for (std::size_t i = 0; i < img.pixels.size(); i += static_cast<std::size_t>(c)) {
    const float a = img.pixels[i + static_cast<std::size_t>(c) - 1];
    for (int k = 0; k < c; ++k) {
      const float v = img.pixels[i + static_cast<std::size_t>(k)];
      out[i + static_cast<std::size_t>(k)] = (k == c - 1) ? v : v * a / 255.0f;
    }
  }
  return out;
}

}  // namespace

TiledImage transform_pixels(const TiledImage& pixels, const Transform& t) {
  const Rect b = pixels.bounds();
  TiledImage out(pixels.channels());
  if (b.empty()) return out;
  const int c = pixels.channels();
  const int w = std::max(1, static_cast<int>(std::lround(b.width * t.scale_x)));
  const int h = std::max(1, static_cast<int>(std::lround(b.height * t.scale_y)));
  const double cx = b.x + b.width / 2.0, cy = b.y + b.height / 2.0;
  const int dx0 = static_cast<int>(std::lround(cx - w / 2.0)), dy0 = static_cast<int>(std::lround(cy - h / 2.0));
  const double rx = static_cast<double>(b.width) / w, ry = static_cast<double>(b.height) / h;

  const Image8 src = pixels.read(b);
  const std::vector<float> pm = premultiplied(src);
  auto at = [&](int x, int y, int k) -> float {
    if (x < 0 || y < 0 || x >= b.width || y >= b.height) return 0.0f;
    return pm[src.index(x, y, k)];
  };

  Image8 dst(w, h, c);
  float v[4];
  for (int y = 0; y < h; ++y) {
    double v_off = (y + 0.5 - h / 2.0) * ry;
    if (t.flip_v) v_off = -v_off;
    const double sy = b.height / 2.0 + v_off - 0.5;  // source pixel-centre coordinates, relative to b
    const int y0 = static_cast<int>(std::floor(sy));
    const float fy = static_cast<float>(sy - y0);
    for (int x = 0; x < w; ++x) {
      double u_off = (x + 0.5 - w / 2.0) * rx;
      if (t.flip_h) u_off = -u_off;
      const double sx = b.width / 2.0 + u_off - 0.5;
      const int x0 = static_cast<int>(std::floor(sx));
      const float fx = static_cast<float>(sx - x0);
      for (int k = 0; k < c; ++k) {
        const float top = at(x0, y0, k) * (1 - fx) + at(x0 + 1, y0, k) * fx;
        const float bot = at(x0, y0 + 1, k) * (1 - fx) + at(x0 + 1, y0 + 1, k) * fx;
        v[k] = top * (1 - fy) + bot * fy;
      }
      const float a = v[c - 1];
      for (int k = 0; k < c; ++k) {
        float out_v = v[k];
        if (k != c - 1) out_v = a > 0 ? v[k] * 255.0f / a : 0.0f;
        dst.at(x, y, k) = static_cast<std::uint8_t>(std::lround(std::clamp(out_v, 0.0f, 255.0f)));
      }
    }
  }
  out.write(dst, dx0, dy0);
  return out;
}

std::unique_ptr<Command> transform_layer(const Document& doc, LayerId id, const Transform& t) {
  const Layer& l = doc.layer(id);
  doc.require_unlocked(id);
  for (const double s : {t.scale_x, t.scale_y}) {
    if (!(s > 0.0 && s <= 16.0)) {
      throw Error(ErrorCode::InvalidArgument, "transforming " + l.label() + ": scale " + std::to_string(s) +
                                                  " is outside (0, 16]");
    }
  }
  if (t.scale_x == 1.0 && t.scale_y == 1.0 && !t.flip_h && !t.flip_v) return nullptr;
  const Rect b = l.pixels.bounds();
  if (b.empty()) return nullptr;
  if (b.width * t.scale_x > 2.0 * bbox_max || b.height * t.scale_y > 2.0 * bbox_max) {
    throw Error(ErrorCode::TooLarge, "transforming " + l.label() + ": the result would exceed " +
                                         std::to_string(2 * bbox_max) + " px");
  }
  auto cmd = PaintPixels::from_edit(doc, id, transform_pixels(l.pixels, t), "Transform");
  if (cmd->empty()) return nullptr;
  return cmd;
}

}  // namespace strata::doc
