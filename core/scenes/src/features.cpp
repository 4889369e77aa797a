// features.cpp — describing one foreground component: kind, colour, size, position (see evaluate.h).
//
// The component's coverage α (share of shape colour per pixel, from projecting each pixel onto the
// background → shape colour line in RGB) is compared with every kind's template, rendered by the
// same rasteriser as the scenes, fitted to α's area and centroid and tried at the angles its
// symmetry allows, sharp and softened; the best soft IoU names the kind. Contour features of the
// upsampled α (solidity, fill of the enclosing circle, hole share, deep convexity defects) are
// reported alongside.
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include <opencv2/imgproc.hpp>

#include "analysis_internal.h"
#include "raster.h"
#include "strata/scenes/render.h"

namespace strata::scenes::detail {
namespace {

struct Template {
  double area = 0.0;           // at radius 1
  cv::Point2d centroid;        // at radius 1, angle 0
  float max_angle = 0.f;       // angles tried: [-max_angle, max_angle) in steps of 6 degrees
};

const Template& template_of(Kind kind) {
  static const std::array<Template, kind_count> table = [] {
    std::array<Template, kind_count> t{};
    for (Kind k : all_kinds()) {
      Shape s;
      s.kind = k, s.cx = 0.f, s.cy = 0.f, s.r = 1.f;
      const auto outlines = shape_outline(s, 1, 1, 720);
      Template& tp = t[static_cast<std::size_t>(k)];
      double mx = 0.0, my = 0.0;
      for (std::size_t i = 0; i < outlines.size(); ++i) {
        std::vector<cv::Point2f> pts;
        for (const Point2& p : outlines[i]) pts.emplace_back(p.x, p.y);
        const cv::Moments m = cv::moments(pts);
        const double sign = i == 0 ? 1.0 : -1.0;
        tp.area += sign * std::fabs(m.m00);
        mx += sign * (m.m00 < 0 ? -m.m10 : m.m10);
        my += sign * (m.m00 < 0 ? -m.m01 : m.m01);
      }
      tp.centroid = {mx / tp.area, my / tp.area};
      constexpr std::array<float, kind_count> ranges = {0.f, 45.f, 60.f, 36.f, 0.f, 45.f, 30.f, 30.f};
      tp.max_angle = ranges[static_cast<std::size_t>(k)];
    }
    return t;
  }();
  return table[static_cast<std::size_t>(kind)];
}

struct Fit {
  Shape shape;
  double iou = -1.0;
};

double soft_iou(const cv::Mat& alpha, const cv::Mat& beta) {
  double inter = 0.0, uni = 0.0;
  for (int y = 0; y < alpha.rows; ++y) {
    const float* a = alpha.ptr<float>(y);
    const float* b = beta.ptr<float>(y);
    for (int x = 0; x < alpha.cols; ++x) inter += std::min(a[x], b[x]), uni += std::max(a[x], b[x]);
  }
  return uni > 0.0 ? inter / uni : 0.0;
}

// IoU of α with the template, sharp and softened (generated images have soft edges; a soft
// hexagon must not look more like a sharp circle than like a soft hexagon).
double template_iou(const cv::Mat& alpha, const cv::Mat& cover8) {
  cv::Mat beta;
  cover8.convertTo(beta, CV_32F, 1.0 / 255.0);
  const double sharp = soft_iou(alpha, beta);
  cv::GaussianBlur(beta, beta, cv::Size(5, 5), 1.0);
  return std::max(sharp, soft_iou(alpha, beta));
}

// The template of `kind` best matching α (window `win` of a w x h image; area, centroid in pixels).
Fit fit_kind(Kind kind, const cv::Mat& alpha, const cv::Rect& win, int w, int h, double area, cv::Point2d centroid) {
  const Template& tp = template_of(kind);
  const double unit = std::min(w, h);
  double r_px = std::sqrt(area / tp.area);
  auto shape_at = [&](float angle) {
    const double a = angle * std::numbers::pi / 180.0;
    const double ox = (std::cos(a) * tp.centroid.x - std::sin(a) * tp.centroid.y) * r_px;
    const double oy = (std::sin(a) * tp.centroid.x + std::cos(a) * tp.centroid.y) * r_px;
    Shape s;
    s.kind = kind, s.angle = angle;
    s.cx = static_cast<float>((centroid.x - ox) / w), s.cy = static_cast<float>((centroid.y - oy) / h);
    s.r = static_cast<float>(r_px / unit);
    return s;
  };
  // Anti-aliasing makes the rasterised area differ slightly from the polygon's: correct the radius once.
  const double drawn = cv::sum(coverage(shape_at(0.f), w, h, win))[0] / 255.0;
  if (drawn > 0.0) r_px *= std::sqrt(area / drawn);
  Fit best;
  for (float angle = -tp.max_angle; angle < tp.max_angle || angle == -tp.max_angle; angle += 6.f) {
    const Shape s = shape_at(angle);
    const double iou = template_iou(alpha, coverage(s, w, h, win));
    if (iou > best.iou) best = {s, iou};
  }
  return best;
}

int count_deep_defects(const std::vector<cv::Point>& contour, float radius) {
  if (contour.size() < 4) return 0;
  std::vector<int> hull;
  cv::convexHull(contour, hull, false, false);
  if (hull.size() < 3) return 0;
  std::sort(hull.begin(), hull.end());
  std::vector<cv::Vec4i> defects;
  try {
    cv::convexityDefects(contour, hull, defects);
  } catch (const cv::Exception&) {
    return 0;
  }
  return static_cast<int>(std::count_if(defects.begin(), defects.end(), [&](const cv::Vec4i& d) {
    return static_cast<float>(d[3]) / 256.f > 0.2f * radius;
  }));
}

// Contour features of α upsampled until the component is ~96 pixels across.
void contour_features(const cv::Mat& alpha, DetectedShape& s) {
  const int f = std::clamp(96 / std::max(1, std::max(alpha.cols, alpha.rows)) + 1, 1, 8);
  cv::Mat up, mask;
  cv::resize(alpha, up, cv::Size(), f, f, cv::INTER_LINEAR);
  mask = up > 0.5f;
  std::vector<std::vector<cv::Point>> contours;
  std::vector<cv::Vec4i> hierarchy;
  cv::findContours(mask, contours, hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_NONE);
  int outer = -1;
  double outer_area = 0.0;
  for (std::size_t i = 0; i < contours.size(); ++i) {
    const double a = cv::contourArea(contours[i]);
    if (hierarchy[i][3] < 0 && a > outer_area) outer_area = a, outer = static_cast<int>(i);
  }
  if (outer < 0) return;
  double holes = 0.0;
  for (int c = hierarchy[static_cast<std::size_t>(outer)][2]; c >= 0; c = hierarchy[static_cast<std::size_t>(c)][0])
    holes += cv::contourArea(contours[static_cast<std::size_t>(c)]);
  const auto& contour = contours[static_cast<std::size_t>(outer)];
  cv::Point2f centre;
  float radius = 0.f;
  cv::minEnclosingCircle(contour, centre, radius);
  std::vector<cv::Point> hull;
  cv::convexHull(contour, hull);
  s.hole = static_cast<float>(holes / std::max(outer_area, 1.0));
  s.solidity = static_cast<float>(outer_area / std::max(cv::contourArea(hull), 1.0));
  s.fill = static_cast<float>(outer_area / (std::numbers::pi * radius * radius + 1e-6));
  s.deep_defects = count_deep_defects(contour, radius);
}

}  // namespace

DetectedShape describe(const Working& w, const BackgroundModel& bg, const cv::Mat& labels, int label,
                       const cv::Rect& box) {
  const int margin = std::max(2, std::max(box.width, box.height) / 5);
  const cv::Rect win = cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
                       cv::Rect(0, 0, w.lab.cols, w.lab.rows);
  const cv::Mat own = labels(win) == label;
  cv::Mat inner;
  cv::erode(own, inner, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  if (cv::countNonZero(inner) < 12) inner = own;

  // Colour: the median of the interior (anti-aliased edges mix with the background).
  std::array<std::vector<float>, 6> v;  // L a b R G B
  for (int y = 0; y < win.height; ++y)
    for (int x = 0; x < win.width; ++x) {
      if (!inner.at<std::uint8_t>(y, x)) continue;
      const cv::Vec3f& l = w.lab.at<cv::Vec3f>(win.y + y, win.x + x);
      const cv::Vec3f& c = w.rgb.at<cv::Vec3f>(win.y + y, win.x + x);
      for (int k = 0; k < 3; ++k) v[static_cast<std::size_t>(k)].push_back(l[k]), v[static_cast<std::size_t>(k) + 3].push_back(c[k]);
    }
  std::array<float, 6> med{};
  for (std::size_t k = 0; k < 6; ++k) {
    auto& x = v[k];
    std::nth_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2), x.end());
    med[k] = x.empty() ? 0.f : x[x.size() / 2];
  }
  DetectedShape s;
  s.colour = nearest_colour({med[0], med[1], med[2]});

  // α: where each pixel lies between the background and the shape's colour (other shapes excluded).
  cv::Mat alpha(win.size(), CV_32FC1, cv::Scalar(0.f));
  double area = 0.0, mx = 0.0, my = 0.0;
  for (int y = 0; y < win.height; ++y)
    for (int x = 0; x < win.width; ++x) {
      const int l = labels.at<int>(win.y + y, win.x + x);
      if (l != 0 && l != label) continue;
      const cv::Vec3f& i = w.rgb.at<cv::Vec3f>(win.y + y, win.x + x);
      const cv::Vec3f& b = bg.expected_rgb.at<cv::Vec3f>(win.y + y, win.x + x);
      const cv::Vec3f d(med[3] - b[0], med[4] - b[1], med[5] - b[2]);
      const float dd = d.dot(d);
      const float a = dd < 1.f ? (l == label ? 1.f : 0.f) : std::clamp((i - b).dot(d) / dd, 0.f, 1.f);
      alpha.at<float>(y, x) = a;
      area += a, mx += a * (win.x + x + 0.5), my += a * (win.y + y + 0.5);
    }
  const cv::Point2d centroid = area > 0 ? cv::Point2d(mx / area, my / area) : cv::Point2d(box.x, box.y);

  Fit best;
  for (Kind k : all_kinds()) {
    Fit f = fit_kind(k, alpha, win, w.lab.cols, w.lab.rows, area, centroid);
    if (f.iou > best.iou) best = f;
  }
  contour_features(alpha, s);
  const float wf = static_cast<float>(w.lab.cols), hf = static_cast<float>(w.lab.rows);
  s.kind = best.shape.kind;
  s.cx = static_cast<float>(centroid.x) / wf;
  s.cy = static_cast<float>(centroid.y) / hf;
  s.r = best.shape.r;
  s.area = static_cast<float>(area / (static_cast<double>(wf) * hf));
  s.size = s.r < size_threshold ? Size::Small : Size::Large;
  s.pos = position_of(s.cx, s.cy);
  return s;
}

}  // namespace strata::scenes::detail
