// render.cpp — rasterising scenes (see render.h).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <string>

#include <opencv2/imgproc.hpp>

#include "strata/doc/error.h"
#include "raster.h"
#include "strata/scenes/render.h"

namespace strata::scenes {
namespace {

using Outline = std::vector<Point2>;
constexpr float pi = std::numbers::pi_v<float>;

Outline regular(int n, float radius, float start_deg) {
  Outline o;
  for (int i = 0; i < n; ++i) {
    const float a = (start_deg + 360.f * static_cast<float>(i) / static_cast<float>(n)) * pi / 180.f;
    o.push_back({radius * std::cos(a), radius * std::sin(a)});
  }
  return o;
}

Outline star() {
  Outline o;
  for (int i = 0; i < 10; ++i) {
    const float a = (-90.f + 36.f * static_cast<float>(i)) * pi / 180.f;
    const float radius = i % 2 == 0 ? 1.f : 0.45f;
    o.push_back({radius * std::cos(a), radius * std::sin(a)});
  }
  return o;
}

Outline cross() {
  constexpr float w = 0.3f, l = 0.95f;
  return {{w, -l}, {w, -w}, {l, -w}, {l, w},   {w, w},   {w, l},
          {-w, l}, {-w, w}, {-l, w}, {-l, -w}, {-w, -w}, {-w, -l}};
}

// The classic heart curve, centred on and scaled to its enclosing circle.
Outline heart(int n) {
  Outline o;
  std::vector<cv::Point2f> pts;
  for (int i = 0; i < n; ++i) {
    const float t = 2.f * pi * static_cast<float>(i) / static_cast<float>(n);
    const float s = std::sin(t);
    const float x = 16.f * s * s * s;
    const float y = -(13.f * std::cos(t) - 5.f * std::cos(2 * t) - 2.f * std::cos(3 * t) - std::cos(4 * t));
    pts.emplace_back(x, y);
  }
  // Enclosing circle of the curve at high resolution (independent of n): computed once.
  static const std::pair<cv::Point2f, float> circle = [] {
    std::vector<cv::Point2f> fine;
    for (int i = 0; i < 2048; ++i) {
      const float t = 2.f * pi * static_cast<float>(i) / 2048.f;
      const float s = std::sin(t);
      fine.emplace_back(16.f * s * s * s,
                        -(13.f * std::cos(t) - 5.f * std::cos(2 * t) - 2.f * std::cos(3 * t) - std::cos(4 * t)));
    }
    cv::Point2f c;
    float r = 0.f;
    cv::minEnclosingCircle(fine, c, r);
    return std::pair{cv::Point2f(0.f, c.y), r};  // the curve is symmetric in x
  }();
  for (const auto& p : pts) o.push_back({(p.x - circle.first.x) / circle.second, (p.y - circle.first.y) / circle.second});
  return o;
}

std::vector<Outline> unit_outline(Kind kind, int curve_n) {
  switch (kind) {
    case Kind::Circle: return {regular(curve_n, 1.f, 0.f)};
    case Kind::Square: return {regular(4, 1.f, 45.f)};
    case Kind::Triangle: return {regular(3, 1.f, -90.f)};
    case Kind::Star: return {star()};
    case Kind::Ring: return {regular(curve_n, 1.f, 0.f), regular(curve_n, 0.55f, 0.f)};
    case Kind::Cross: return {cross()};
    case Kind::Heart: return {heart(curve_n)};
    case Kind::Hexagon: return {regular(6, 1.f, 0.f)};
  }
  return {};
}

void check_size(int width, int height) {
  if (width < 8 || height < 8 || width > 8192 || height > 8192) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "scene size: expected 8..8192 x 8..8192, found " +
                                                          std::to_string(width) + "x" + std::to_string(height));
  }
}

// Amount of colour b in [0, u] along a striped axis with stripe width w (stripes a, b, a, ...).
double stripe_integral(double u, double w) {
  const double period = 2.0 * w;
  const double whole = std::floor(u / period);
  return whole * w + std::max(0.0, (u - whole * period) - w);
}

std::uint8_t mix(std::uint8_t a, std::uint8_t b, double t) {
  return static_cast<std::uint8_t>(std::lround(a + (static_cast<double>(b) - a) * t));
}

}  // namespace

std::vector<std::vector<Point2>> shape_outline(const Shape& shape, int width, int height, int vertices_per_curve) {
  const float scale = shape.r * static_cast<float>(std::min(width, height));
  const int curve_n = vertices_per_curve > 0 ? vertices_per_curve
                                             : std::clamp(static_cast<int>(std::ceil(2.f * pi * scale / 2.f)), 32, 512);
  const float a = shape.angle * pi / 180.f;
  const float c = std::cos(a), s = std::sin(a);
  const float ox = shape.cx * static_cast<float>(width), oy = shape.cy * static_cast<float>(height);
  std::vector<Outline> outlines = unit_outline(shape.kind, curve_n);
  for (Outline& o : outlines)
    for (Point2& p : o) p = {ox + scale * (c * p.x - s * p.y), oy + scale * (s * p.x + c * p.y)};
  return outlines;
}

doc::Image8 render_background(const Background& bg, int width, int height) {
  check_size(width, height);
  doc::Image8 img(width, height, 3);
  const Rgb a = rgb_of(bg.a), b = rgb_of(bg.b);
  const bool along_x = bg.orientation == Orientation::Horizontal;
  const int n = along_x ? width : height;
  std::vector<double> t(static_cast<std::size_t>(n), 0.0);  // share of colour b per column / row
  for (int i = 0; i < n && bg.kind != BackgroundKind::Solid; ++i) {
    const double u0 = static_cast<double>(i) / n, u1 = static_cast<double>(i + 1) / n;
    t[static_cast<std::size_t>(i)] =
        bg.kind == BackgroundKind::Gradient
            ? (i + 0.5) / n
            : (stripe_integral(u1, bg.stripe_width) - stripe_integral(u0, bg.stripe_width)) / (u1 - u0);
  }
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double k = t[static_cast<std::size_t>(along_x ? x : y)];
      img.at(x, y, 0) = mix(a.r, b.r, k);
      img.at(x, y, 1) = mix(a.g, b.g, k);
      img.at(x, y, 2) = mix(a.b, b.b, k);
    }
  return img;
}

namespace {

// Moves every edge of a polygon `d` pixels towards its interior (miter joins): LINE_AA paints a
// one-pixel line centred on the outline over the filled polygon, which grows it by ~0.6 px (measured on discs).
std::vector<Point2> inset(const std::vector<Point2>& poly, float d) {
  const std::size_t n = poly.size();
  double area2 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const Point2& p = poly[i];
    const Point2& q = poly[(i + 1) % n];
    area2 += static_cast<double>(p.x) * q.y - static_cast<double>(q.x) * p.y;
  }
  const float side = area2 > 0 ? 1.f : -1.f;  // interior lies left (+) or right (-) of each edge
  auto normal = [&](const Point2& a, const Point2& b) {
    const float dx = b.x - a.x, dy = b.y - a.y, len = std::max(1e-6f, std::hypot(dx, dy));
    return Point2{-dy / len * side, dx / len * side};
  };
  std::vector<Point2> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Point2 n1 = normal(poly[(i + n - 1) % n], poly[i]), n2 = normal(poly[i], poly[(i + 1) % n]);
    const float k = d / std::max(0.2f, 1.f + n1.x * n2.x + n1.y * n2.y);
    out[i] = {poly[i].x + k * (n1.x + n2.x), poly[i].y + k * (n1.y + n2.y)};
  }
  return out;
}

}  // namespace

cv::Mat coverage(const Shape& shape, int width, int height, const cv::Rect& window) {
  constexpr int shift = 8;
  constexpr float aa_growth = 0.62f;
  cv::Mat mask = cv::Mat::zeros(window.size(), CV_8UC1);
  auto outlines = shape_outline(shape, width, height);
  for (auto& o : outlines) o = inset(o, aa_growth);
  for (std::size_t k = 0; k < outlines.size(); ++k) {
    std::vector<cv::Point> pts;
    // Pixel (i, j) covers [i, i+1); OpenCV puts pixel centres on integers.
    for (const Point2& p : outlines[k])
      pts.emplace_back(static_cast<int>(std::lround((p.x - 0.5f - static_cast<float>(window.x)) * (1 << shift))),
                       static_cast<int>(std::lround((p.y - 0.5f - static_cast<float>(window.y)) * (1 << shift))));
    const std::vector<std::vector<cv::Point>> polys{pts};
    cv::fillPoly(mask, polys, cv::Scalar(k == 0 ? 255 : 0), cv::LINE_AA, shift);
  }
  return mask;
}

doc::Image8 render(const Scene& scene, int width, int height) {
  doc::Image8 img = render_background(scene.bg, width, height);
  for (const Shape& shape : scene.shapes) {
    const cv::Mat mask = coverage(shape, width, height, cv::Rect(0, 0, width, height));
    const Rgb c = rgb_of(shape.colour);
    for (int y = 0; y < height; ++y) {
      const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
      for (int x = 0; x < width; ++x) {
        if (m[x] == 0) continue;
        const double k = m[x] / 255.0;
        img.at(x, y, 0) = mix(img.at(x, y, 0), c.r, k);
        img.at(x, y, 1) = mix(img.at(x, y, 1), c.g, k);
        img.at(x, y, 2) = mix(img.at(x, y, 2), c.b, k);
      }
    }
  }
  return img;
}

doc::Image8 render_shape_mask(const Scene& scene, int width, int height) {
  check_size(width, height);
  cv::Mat all = cv::Mat::zeros(height, width, CV_8UC1);
  for (const Shape& shape : scene.shapes) cv::max(all, coverage(shape, width, height, cv::Rect(0, 0, width, height)), all);
  doc::Image8 out(width, height, 1);
  for (int y = 0; y < height; ++y) std::memcpy(&out.at(0, y, 0), all.ptr<std::uint8_t>(y), static_cast<std::size_t>(width));
  return out;
}

}  // namespace strata::scenes
