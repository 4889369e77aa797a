// Infill of transparent pixels: Telea inpainting (with a downscale trick for large holes), nearest
// edge colour, solid colour and seeded noise. See strata/io/infill.h for the contract.
#include "strata/io/infill.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "strata/doc/error.h"

namespace strata::io {

namespace {

using doc::ErrorCode;

[[noreturn]] void invalid(const std::string& what) { throw doc::Error(ErrorCode::InvalidArgument, "infill: " + what); }

void check_options(const InfillOptions& o) {
  if (o.telea_radius < 1 || o.telea_radius > 64) invalid("telea_radius must be 1..64, found " + std::to_string(o.telea_radius));
  if (o.telea_band < 0 || o.telea_band > 1024) invalid("telea_band must be 0..1024, found " + std::to_string(o.telea_band));
  if (o.telea_direct_max_pixels < 64) invalid("telea_direct_max_pixels must be at least 64");
  if (!(o.noise_sigma >= 0.0f && o.noise_sigma <= 1024.0f)) invalid("noise_sigma must be 0..1024");
  if (!(o.noise_blur >= 0.0f && o.noise_blur <= 64.0f)) invalid("noise_blur must be 0..64 px");
  if (o.fallback != InfillMethod::Solid && o.fallback != InfillMethod::Noise) invalid("fallback must be Solid or Noise");
}

// 255 where a pixel is a source of colour: opaque pixels, or partial ones when nothing is opaque.
cv::Mat source_mask(const cv::Mat& alpha) {
  cv::Mat opaque = alpha == 255;
  if (cv::countNonZero(opaque) > 0) return opaque;
  return alpha > 0;
}

cv::Rect grown_bounds(const cv::Mat& mask, int by) {
  cv::Rect r = cv::boundingRect(mask);
  r.x -= by;
  r.y -= by;
  r.width += 2 * by;
  r.height += 2 * by;
  return r & cv::Rect(0, 0, mask.cols, mask.rows);
}

// Telea inpaint of `hole` (nonzero) in `rgb`, in place, restricted to the region it can affect.
void inpaint_in_place(cv::Mat& rgb, const cv::Mat& hole, int radius) {
  if (cv::countNonZero(hole) == 0) return;
  cv::Rect roi = grown_bounds(hole, radius + 2);
  cv::Mat out;
  cv::inpaint(rgb(roi), hole(roi), out, radius, cv::INPAINT_TELEA);
  out.copyTo(rgb(roi));
}

cv::Mat fill_telea(const cv::Mat& rgb, const cv::Mat& source, const InfillOptions& o) {
  cv::Mat hole = ~source;
  cv::Mat work = rgb.clone();
  work.setTo(cv::Scalar::all(0), hole);  // hidden colours never enter the computation
  const auto hole_pixels = static_cast<std::uint64_t>(cv::countNonZero(hole));
  if (hole_pixels <= o.telea_direct_max_pixels) {
    inpaint_in_place(work, hole, o.telea_radius);
    return work;
  }
  // Coarse pass: average the source colours weighted by coverage, inpaint at low resolution.
  const int factor = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(hole_pixels) /
                                                          static_cast<double>(o.telea_direct_max_pixels))));
  const cv::Size small((rgb.cols + factor - 1) / factor, (rgb.rows + factor - 1) / factor);
  cv::Mat weight, colour_f, weighted, small_sum, small_weight;
  source.convertTo(weight, CV_32F, 1.0 / 255.0);
  work.convertTo(colour_f, CV_32FC3);
  cv::Mat weight3;
  cv::merge(std::vector<cv::Mat>{weight, weight, weight}, weight3);
  cv::multiply(colour_f, weight3, weighted);
  cv::resize(weighted, small_sum, small, 0, 0, cv::INTER_AREA);
  cv::resize(weight, small_weight, small, 0, 0, cv::INTER_AREA);
  cv::Mat small_known = small_weight > 0.999f;
  if (cv::countNonZero(small_known) == 0) small_known = small_weight > 0.0f;
  cv::Mat small_weight3, small_colour_f, small_colour;
  cv::merge(std::vector<cv::Mat>{small_weight, small_weight, small_weight}, small_weight3);
  cv::divide(small_sum, cv::max(small_weight3, 1e-6), small_colour_f);
  small_colour_f.convertTo(small_colour, CV_8UC3);
  small_colour.setTo(cv::Scalar::all(0), ~small_known);
  inpaint_in_place(small_colour, ~small_known, o.telea_radius);
  cv::Mat coarse;
  cv::resize(small_colour, coarse, rgb.size(), 0, 0, cv::INTER_LINEAR);
  coarse.copyTo(work, hole);
  // Fine pass: re-inpaint the band along the source boundary at full resolution.
  cv::Mat dist;
  cv::distanceTransform(hole, dist, cv::DIST_L2, 3);
  const int band_width = o.telea_band > 0 ? o.telea_band : 2 * factor + o.telea_radius;
  cv::Mat band = (dist <= static_cast<float>(band_width)) & hole;
  inpaint_in_place(work, band, o.telea_radius);
  return work;
}

// Each non-source pixel takes the colour of its nearest source pixel (Voronoi labels).
cv::Mat fill_edge(const cv::Mat& rgb, const cv::Mat& source) {
  cv::Mat dist, labels;
  cv::distanceTransform(~source, dist, labels, cv::DIST_L2, cv::DIST_MASK_5, cv::DIST_LABEL_PIXEL);
  double max_label = 0;
  cv::minMaxLoc(labels, nullptr, &max_label);
  std::vector<cv::Vec3b> colour_of(static_cast<std::size_t>(max_label) + 1);
  for (int y = 0; y < rgb.rows; ++y) {
    const auto* s = source.ptr<std::uint8_t>(y);
    const auto* l = labels.ptr<int>(y);
    const auto* c = rgb.ptr<cv::Vec3b>(y);
    for (int x = 0; x < rgb.cols; ++x) {
      if (s[x]) colour_of[static_cast<std::size_t>(l[x])] = c[x];
    }
  }
  cv::Mat out(rgb.size(), CV_8UC3);
  for (int y = 0; y < rgb.rows; ++y) {
    const auto* l = labels.ptr<int>(y);
    auto* o = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < rgb.cols; ++x) o[x] = colour_of[static_cast<std::size_t>(l[x])];
  }
  return out;
}

cv::Mat fill_solid(cv::Size size, Rgb8 c) { return cv::Mat(size, CV_8UC3, cv::Scalar(c.r, c.g, c.b)); }

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Uniform in (0, 1], 53 bits.
double unit(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 1.0) * (1.0 / 9007199254740992.0); }

// Noise depends only on the seed and the pixel position: channel value k of the image comes from
// the hash of (seed, k).
cv::Mat fill_noise(cv::Size size, const InfillOptions& o) {
  cv::Mat out(size, CV_8UC3);
  const std::uint64_t key = splitmix64(o.noise_seed);
  std::uint64_t k = 0;
  for (int y = 0; y < size.height; ++y) {
    auto* row = out.ptr<std::uint8_t>(y);
    for (int i = 0; i < size.width * 3; ++i, ++k) {
      const std::uint64_t h = splitmix64(key ^ splitmix64(k));
      double v;
      if (o.noise_kind == NoiseKind::Uniform) {
        v = static_cast<double>(h >> 56);
      } else {
        const double u1 = unit(h), u2 = unit(splitmix64(h));
        v = 127.5 + o.noise_sigma * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
      }
      row[i] = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
    }
  }
  if (o.noise_blur > 0.0f) cv::GaussianBlur(out, out, cv::Size(0, 0), o.noise_blur, o.noise_blur, cv::BORDER_REFLECT);
  return out;
}

// Opaque pixels copied; the rest composited over the fill by their alpha.
doc::Image8 composite(const cv::Mat& rgb, const cv::Mat& alpha, const cv::Mat& fill) {
  doc::Image8 out(rgb.cols, rgb.rows, 3);
  for (int y = 0; y < rgb.rows; ++y) {
    const auto* c = rgb.ptr<std::uint8_t>(y);
    const auto* a = alpha.ptr<std::uint8_t>(y);
    const auto* f = fill.ptr<std::uint8_t>(y);
    std::uint8_t* o = &out.at(0, y);
    for (int x = 0; x < rgb.cols; ++x) {
      const unsigned av = a[x];
      for (int k = 0; k < 3; ++k) {
        const int i = 3 * x + k;
        o[i] = av == 255 ? c[i] : static_cast<std::uint8_t>((av * c[i] + (255 - av) * f[i] + 127) / 255);
      }
    }
  }
  return out;
}

}  // namespace

doc::Image8 infill(const doc::Image8& rgba, const InfillOptions& options) {
  check_options(options);
  if (rgba.empty() || rgba.width <= 0 || rgba.height <= 0) invalid("the image is empty");
  if (rgba.channels == 3) return rgba;
  if (rgba.channels != 4) invalid("expected an RGBA image, found " + std::to_string(rgba.channels) + " channels");
  try {
    const cv::Mat in(rgba.height, rgba.width, CV_8UC4, const_cast<std::uint8_t*>(rgba.pixels.data()));
    cv::Mat rgb, alpha;
    cv::cvtColor(in, rgb, cv::COLOR_RGBA2RGB);
    cv::extractChannel(in, alpha, 3);
    rgb.setTo(cv::Scalar::all(0), alpha == 0);
    const cv::Mat source = source_mask(alpha);
    const bool any_source = cv::countNonZero(source) > 0;
    if (any_source && cv::countNonZero(alpha == 255) == rgb.rows * rgb.cols) return composite(rgb, alpha, rgb);

    InfillMethod method = options.method;
    if (!any_source && (method == InfillMethod::Telea || method == InfillMethod::EdgeTile)) method = options.fallback;
    cv::Mat fill;
    switch (method) {
      case InfillMethod::Telea: fill = fill_telea(rgb, source, options); break;
      case InfillMethod::EdgeTile: fill = fill_edge(rgb, source); break;
      case InfillMethod::Solid: fill = fill_solid(rgb.size(), options.solid_color); break;
      case InfillMethod::Noise: fill = fill_noise(rgb.size(), options); break;
    }
    return composite(rgb, alpha, fill);
  } catch (const cv::Exception& e) {
    throw doc::Error(ErrorCode::Runtime, std::string("infill: OpenCV failed: ") + e.what());
  }
}

std::string_view to_string(InfillMethod method) { return doc::id_of(kInfillMethods, method); }

std::optional<InfillMethod> parse_infill_method(std::string_view name) {
  if (const auto* row = doc::find_named(kInfillMethods, name)) return row->value;
  return std::nullopt;
}

}  // namespace strata::io
