// background.cpp — the evaluator's background model and foreground mask (see evaluate.h).
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "analysis_internal.h"
#include "colour_math.h"
#include "strata/doc/error.h"

namespace strata::scenes::detail {
namespace {

constexpr float fg_threshold = 16.f;  // ΔE; shapes differ from their background by >= 35

Lab mean_of(const std::vector<Lab>& v) {
  Lab m;
  for (const Lab& x : v) m.l += x.l, m.a += x.a, m.b += x.b;
  const float n = static_cast<float>(std::max<std::size_t>(v.size(), 1));
  return {m.l / n, m.a / n, m.b / n};
}

Lab median_of(std::vector<Lab> v) {
  auto med = [&](auto get) {
    std::vector<float> c;
    for (const Lab& x : v) c.push_back(get(x));
    std::nth_element(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(c.size() / 2), c.end());
    return c[c.size() / 2];
  };
  return {med([](const Lab& x) { return x.l; }), med([](const Lab& x) { return x.a; }),
          med([](const Lab& x) { return x.b; })};
}

// Median colour of a strip `t` pixels thick along one side, per position along that side.
std::vector<Lab> side_profile(const cv::Mat& lab, bool horizontal_side, bool far_side, int t) {
  const int n = horizontal_side ? lab.cols : lab.rows;
  std::vector<Lab> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    std::vector<Lab> strip;
    for (int k = 0; k < t; ++k) {
      const int d = far_side ? (horizontal_side ? lab.rows : lab.cols) - 1 - k : k;
      strip.push_back(horizontal_side ? lab_at(lab, i, d) : lab_at(lab, d, i));
    }
    out[static_cast<std::size_t>(i)] = median_of(strip);
  }
  return out;
}

// Mean ΔE of a profile's samples from its median.
float variation(const std::vector<Lab>& p) {
  const Lab m = median_of(p);
  float d = 0.f;
  for (const Lab& x : p) d += delta_e(x, m);
  return d / static_cast<float>(std::max<std::size_t>(p.size(), 1));
}

BackgroundModel with_rgb(BackgroundModel m) {
  cv::cvtColor(m.expected_lab, m.expected_rgb, cv::COLOR_Lab2RGB);
  m.expected_rgb *= 255.0;
  return m;
}

// Median absolute difference between neighbouring pixels along the image's border (RGB levels):
// ~0 for flat, gradient or striped backgrounds, ~0.6 a for uniform noise of +-a.
float border_grain(const cv::Mat& img) {
  std::vector<int> d;
  auto add = [&](cv::Point p, cv::Point q) {
    const cv::Vec3b a = img.at<cv::Vec3b>(p), b = img.at<cv::Vec3b>(q);
    for (int c = 0; c < 3; ++c) d.push_back(std::abs(int(a[c]) - int(b[c])));
  };
  for (int x = 0; x + 1 < img.cols; ++x) add({x, 0}, {x + 1, 0}), add({x, img.rows - 1}, {x + 1, img.rows - 1});
  for (int y = 0; y + 1 < img.rows; ++y) add({0, y}, {0, y + 1}), add({img.cols - 1, y}, {img.cols - 1, y + 1});
  std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2), d.end());
  return static_cast<float>(d[d.size() / 2]);
}

}  // namespace

Lab lab_at(const cv::Mat& lab, int x, int y) {
  const cv::Vec3f& v = lab.at<cv::Vec3f>(y, x);
  return {v[0], v[1], v[2]};
}

Working prepare(const doc::Image8& rgb) {
  if (rgb.channels != 3 || rgb.width < 16 || rgb.height < 16) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     "evaluate: expected an RGB image of at least 16x16, found " + std::to_string(rgb.width) + "x" +
                         std::to_string(rgb.height) + "x" + std::to_string(rgb.channels));
  }
  cv::Mat img = cv::Mat(rgb.height, rgb.width, CV_8UC3, const_cast<std::uint8_t*>(rgb.pixels.data())).clone();
  // Grainy images (generated ones) are median-filtered first; clean renders are left alone.
  const float grain = border_grain(img);
  if (grain >= 2.f) cv::medianBlur(img, img, grain >= 6.f ? 5 : 3);
  Working w;
  w.grain = grain;
  img.convertTo(w.rgb, CV_32FC3);
  cv::cvtColor(w.rgb * (1.0 / 255.0), w.lab, cv::COLOR_RGB2Lab);
  return w;
}

BackgroundModel estimate_background(const cv::Mat& lab, float grain) {
  const int strip = std::max(1, std::min(lab.cols, lab.rows) / 64);
  const auto top = side_profile(lab, true, false, strip), bottom = side_profile(lab, true, true, strip);
  const auto left = side_profile(lab, false, false, strip), right = side_profile(lab, false, true, strip);

  BackgroundModel m;
  std::vector<Lab> border(top);
  border.insert(border.end(), bottom.begin(), bottom.end());
  border.insert(border.end(), left.begin(), left.end());
  border.insert(border.end(), right.begin(), right.end());
  const Lab median = median_of(border);
  const auto close = std::count_if(border.begin(), border.end(), [&](const Lab& x) { return delta_e(x, median) < 12.f; });
  Lab far = median;
  for (const Lab& x : border)
    if (delta_e(x, median) > delta_e(far, median)) far = x;
  // Solid: nearly all the border is one colour or, in a grainy image, nothing on it differs by
  // more than the grain does.
  const bool flat = grain >= 2.f && delta_e(far, median) < 15.f;
  if (static_cast<double>(close) > 0.9 * static_cast<double>(border.size()) || flat) {
    m.spec = {BackgroundKind::Solid, nearest_colour(median), std::nullopt};
    m.expected_lab = cv::Mat(lab.size(), CV_32FC3, cv::Scalar(median.l, median.a, median.b));
    return with_rgb(std::move(m));
  }

  // Varies along x when the top and bottom strips vary more than the left and right ones.
  const bool along_x = variation(top) + variation(bottom) >= variation(left) + variation(right);
  m.orientation = along_x ? Orientation::Horizontal : Orientation::Vertical;
  std::vector<Lab> p(along_x ? top : left);
  const auto& q = along_x ? bottom : right;
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = mean_of({p[i], q[i]});

  // Position of each sample between the profile's first colour and the one farthest from it.
  const Lab c0 = p.front();
  Lab c1 = c0;
  for (const Lab& x : p)
    if (delta_e(x, c0) > delta_e(c1, c0)) c1 = x;
  const float span2 = std::max(1e-3f, delta_e(c0, c1) * delta_e(c0, c1));
  std::vector<float> t;
  for (const Lab& x : p)
    t.push_back(((x.l - c0.l) * (c1.l - c0.l) + (x.a - c0.a) * (c1.a - c0.a) + (x.b - c0.b) * (c1.b - c0.b)) / span2);
  // Stripes cross back and forth between the two colours; a gradient crosses once.
  int crossings = 0;
  bool high = false;
  for (float v : t) {
    if (!high && v > 0.7f) high = true, ++crossings;
    else if (high && v < 0.3f) high = false, ++crossings;
  }
  if (crossings >= 2) {
    std::vector<Lab> lo, hi;
    for (std::size_t i = 0; i < p.size(); ++i) (t[i] < 0.3f ? lo : t[i] > 0.7f ? hi : lo).push_back(p[i]);
    m.spec = {BackgroundKind::Stripes, nearest_colour(mean_of(lo)), nearest_colour(mean_of(hi))};
  } else {
    const std::size_t k = std::max<std::size_t>(1, p.size() / 40);
    m.spec = {BackgroundKind::Gradient, nearest_colour(mean_of({p.begin(), p.begin() + static_cast<std::ptrdiff_t>(k)})),
              nearest_colour(mean_of({p.end() - static_cast<std::ptrdiff_t>(k), p.end()}))};
  }
  m.expected_lab = cv::Mat(lab.size(), CV_32FC3);
  for (int y = 0; y < lab.rows; ++y)
    for (int x = 0; x < lab.cols; ++x) {
      const Lab& c = p[static_cast<std::size_t>(along_x ? x : y)];
      m.expected_lab.at<cv::Vec3f>(y, x) = cv::Vec3f(c.l, c.a, c.b);
    }
  return with_rgb(std::move(m));
}

cv::Mat foreground_mask(const cv::Mat& lab, const cv::Mat& expected_lab) {
  cv::Mat diff = lab - expected_lab;
  std::vector<cv::Mat> ch;
  cv::split(diff, ch);
  const cv::Mat d2 = ch[0].mul(ch[0]) + ch[1].mul(ch[1]) + ch[2].mul(ch[2]);
  return d2 > fg_threshold * fg_threshold;
}

}  // namespace strata::scenes::detail
