#include "strata/doc/color_match.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "strata/doc/error.h"

namespace strata::doc {

namespace {

// Chessboard distance of every pixel to the nearest pixel with `from[i]` set (0 on them), capped at
// cap + 1. Two raster passes.
std::vector<int> distance_to(const std::vector<bool>& from, int w, int h, int cap) {
  const int far = cap + 1;
  std::vector<int> d(from.size());
  for (std::size_t i = 0; i < from.size(); ++i) d[i] = from[i] ? 0 : far;
  auto at = [&](int x, int y) -> int& { return d[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)]; };
  auto relax = [&](int x, int y, int nx, int ny) {
    if (nx >= 0 && ny >= 0 && nx < w && ny < h) at(x, y) = std::min(at(x, y), at(nx, ny) + 1);
  };
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      relax(x, y, x - 1, y);
      relax(x, y, x - 1, y - 1);
      relax(x, y, x, y - 1);
      relax(x, y, x + 1, y - 1);
    }
  }
  for (int y = h - 1; y >= 0; --y) {
    for (int x = w - 1; x >= 0; --x) {
      relax(x, y, x + 1, y);
      relax(x, y, x + 1, y + 1);
      relax(x, y, x, y + 1);
      relax(x, y, x - 1, y + 1);
    }
  }
  for (int& v : d) v = std::min(v, far);
  return d;
}

// The two sides of the seam within `width` px: pixels with S > 0 near an S = 0 pixel (inner) and
// pixels with S = 0 near an S > 0 pixel (outer). Empty when the map has no seam.
struct Bands {
  std::vector<bool> inner, outer;
  bool seam = false;
};

Bands seam_bands(const ImageF& strength, int width) {
  const std::size_t n = strength.pixels.size();
  std::vector<bool> repaint(n), keep(n);
  bool any_repaint = false, any_keep = false;
  for (std::size_t i = 0; i < n; ++i) {
    repaint[i] = strength.pixels[i] > 0.0f;
    keep[i] = !repaint[i];
    any_repaint = any_repaint || repaint[i];
    any_keep = any_keep || keep[i];
  }
  Bands b;
  if (!any_repaint || !any_keep) return b;
  const std::vector<int> to_repaint = distance_to(repaint, strength.width, strength.height, width);
  const std::vector<int> to_keep = distance_to(keep, strength.width, strength.height, width);
  b.inner.resize(n);
  b.outer.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    b.inner[i] = repaint[i] && to_keep[i] <= width;
    b.outer[i] = keep[i] && to_repaint[i] <= width;
  }
  b.seam = true;
  return b;
}

// sRGB (D65) ⇄ CIELAB.
double to_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double to_srgb(double c) { return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055; }
constexpr double xn = 0.95047, yn = 1.0, zn = 1.08883;
double lab_f(double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; }
double lab_f_inv(double t) { return t * t * t > 216.0 / 24389.0 ? t * t * t : (116.0 * t - 16.0) * 27.0 / 24389.0; }

std::array<double, 3> rgb_to_lab(const std::uint8_t* p) {
  const double r = to_linear(p[0] / 255.0), g = to_linear(p[1] / 255.0), b = to_linear(p[2] / 255.0);
  const double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  const double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
  const double fx = lab_f(x / xn), fy = lab_f(y / yn), fz = lab_f(z / zn);
  return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

void lab_to_rgb(const std::array<double, 3>& lab, std::uint8_t* p) {
  const double fy = (lab[0] + 16.0) / 116.0, fx = fy + lab[1] / 500.0, fz = fy - lab[2] / 200.0;
  const double x = xn * lab_f_inv(fx), y = yn * lab_f_inv(fy), z = zn * lab_f_inv(fz);
  const double rgb[3] = {3.2404542 * x - 1.5371385 * y - 0.4985314 * z, -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
                         0.0556434 * x - 0.2040259 * y + 1.0572252 * z};
  for (std::size_t c = 0; c < 3; ++c) {
    const double v = to_srgb(std::clamp(rgb[c], 0.0, 1.0)) * 255.0;
    p[c] = static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 255.0)));
  }
}

// Robust moments per LAB channel: the median and the spread 1.4826 · MAD (σ for a normal
// distribution), so a shape that covers part of a band does not drag the statistics with it.
struct Moments {
  std::array<double, 3> mean{}, sd{};
  std::size_t count = 0;
};

double median(std::vector<double>& v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

Moments lab_moments(const Image8& image, const std::vector<bool>& where) {
  Moments m;
  std::array<std::vector<double>, 3> values;
  const auto ch = static_cast<std::size_t>(image.channels);
  for (std::size_t i = 0; i < where.size(); ++i) {
    if (!where[i]) continue;
    const auto lab = rgb_to_lab(&image.pixels[i * ch]);
    for (std::size_t c = 0; c < 3; ++c) values[c].push_back(lab[c]);
    ++m.count;
  }
  if (m.count == 0) return m;
  for (std::size_t c = 0; c < 3; ++c) {
    m.mean[c] = median(values[c]);
    for (double& v : values[c]) v = std::abs(v - m.mean[c]);
    m.sd[c] = 1.4826 * median(values[c]);
  }
  return m;
}

void check_sizes(const Image8& image, const ImageF& strength, const char* what) {
  if (image.width != strength.width || image.height != strength.height || strength.channels != 1 || image.channels < 3) {
    throw Error(ErrorCode::InvalidArgument, std::string(what) + ": expected an RGB(A) image and a 1-channel strength map of the same size, found " +
                                                std::to_string(image.width) + "x" + std::to_string(image.height) + "x" +
                                                std::to_string(image.channels) + " and " + std::to_string(strength.width) + "x" +
                                                std::to_string(strength.height) + "x" + std::to_string(strength.channels));
  }
}

}  // namespace

bool match_colors(const Image8& original, Image8& generated, const ImageF& strength, int band) {
  check_sizes(generated, strength, "colour match");
  if (original.width != generated.width || original.height != generated.height || original.channels != generated.channels) {
    throw Error(ErrorCode::InvalidArgument, "colour match: the original and the generated image differ in size");
  }
  const Bands b = seam_bands(strength, band);
  if (!b.seam) return false;
  const Moments ref = lab_moments(original, b.outer);
  const Moments src = lab_moments(generated, b.inner);
  const auto min_pixels = static_cast<std::size_t>(color_match_min_pixels);
  if (ref.count < min_pixels || src.count < min_pixels) return false;
  std::array<double, 3> k{};
  for (std::size_t c = 0; c < 3; ++c) k[c] = src.sd[c] < 1e-3 ? 1.0 : std::clamp(ref.sd[c] / src.sd[c], 2.0 / 3.0, 1.5);
  const auto ch = static_cast<std::size_t>(generated.channels);
  bool changed = false;
  for (std::size_t i = 0; i < strength.pixels.size(); ++i) {
    const float s = std::min(strength.pixels[i], 1.0f);
    if (!(s > 0.0f)) continue;
    std::uint8_t* p = &generated.pixels[i * ch];
    const auto lab = rgb_to_lab(p);
    std::array<double, 3> out{};
    for (std::size_t c = 0; c < 3; ++c) out[c] = lab[c] + s * (ref.mean[c] + k[c] * (lab[c] - src.mean[c]) - lab[c]);
    const std::uint8_t before[3] = {p[0], p[1], p[2]};
    lab_to_rgb(out, p);
    changed = changed || p[0] != before[0] || p[1] != before[1] || p[2] != before[2];
  }
  return changed;
}

std::optional<std::array<double, 3>> seam_difference(const Image8& image, const ImageF& strength, int width) {
  check_sizes(image, strength, "seam difference");
  const Bands b = seam_bands(strength, width);
  if (!b.seam) return std::nullopt;
  std::array<double, 3> in{}, out{};
  std::size_t nin = 0, nout = 0;
  const auto ch = static_cast<std::size_t>(image.channels);
  for (std::size_t i = 0; i < strength.pixels.size(); ++i) {
    if (!b.inner[i] && !b.outer[i]) continue;
    auto& acc = b.inner[i] ? in : out;
    for (std::size_t c = 0; c < 3; ++c) acc[c] += image.pixels[i * ch + c];
    ++(b.inner[i] ? nin : nout);
  }
  if (nin == 0 || nout == 0) return std::nullopt;
  std::array<double, 3> d{};
  for (std::size_t c = 0; c < 3; ++c) d[c] = in[c] / static_cast<double>(nin) - out[c] / static_cast<double>(nout);
  return d;
}

}  // namespace strata::doc
