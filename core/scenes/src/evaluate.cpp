// evaluate.cpp — analysing an image and comparing it with a prompt (see evaluate.h).
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "analysis_internal.h"
#include "strata/doc/error.h"
#include "strata/scenes/evaluate.h"

namespace strata::scenes {
namespace {

constexpr float min_component_area = 0.003f;  // of the image; the smallest shape covers ~0.009
constexpr std::size_t max_components = 8;

// A stated position constrains only the axes it names: "left" any row, "top left" both, "centre" both.
bool position_matches(Position wanted, Position found) {
  if (wanted == Position::Centre) return found == Position::Centre;
  const int col = column_of(wanted), row = row_of(wanted);
  return (col == 0 || col == column_of(found)) && (row == 0 || row == row_of(found));
}

bool background_matches(const BackgroundSpec& want, const BackgroundSpec& got) {
  if (want.kind != got.kind) return false;
  switch (want.kind) {
    case BackgroundKind::Solid: return want.a == got.a;
    case BackgroundKind::Gradient: return want.a == got.a && (!want.b || want.b == got.b);
    case BackgroundKind::Stripes:
      if (!want.b) return want.a == got.a || want.a == got.b;
      return (want.a == got.a && want.b == got.b) || (want.a == got.b && want.b == got.a);
  }
  return false;
}

ShapeReport judge(const ShapeSpec& want, const DetectedShape* got) {
  ShapeReport r;
  r.wanted = want;
  if (!got) return r;
  r.found = *got;
  r.kind_ok = !want.kind || *want.kind == got->kind;
  r.colour_ok = !want.colour || *want.colour == got->colour;
  r.size_ok = !want.size || *want.size == got->size;
  r.position_ok = !want.pos || position_matches(*want.pos, got->pos);
  return r;
}

int score(const ShapeReport& r) {
  if (!r.found) return 0;
  return 1 + 4 * r.colour_ok + 4 * r.kind_ok + 2 * r.position_ok + r.size_ok;
}

// Best assignment of stated shapes to detected ones (distinct), by exhaustive search (<= 3 x 8).
void assign(const std::vector<ShapeSpec>& wanted, const std::vector<DetectedShape>& found, std::size_t i,
            std::vector<int>& current, int current_score, std::vector<int>& best, int& best_score) {
  if (i == wanted.size()) {
    if (current_score > best_score) best_score = current_score, best = current;
    return;
  }
  for (int j = -1; j < static_cast<int>(found.size()); ++j) {
    if (j >= 0 && std::find(current.begin(), current.end(), j) != current.end()) continue;
    current.push_back(j);
    const int s = j < 0 ? 0 : score(judge(wanted[i], &found[static_cast<std::size_t>(j)]));
    assign(wanted, found, i + 1, current, current_score + s, best, best_score);
    current.pop_back();
  }
}

std::string describe(const ShapeSpec& s) {
  std::string out;
  if (s.size) out += std::string(to_string(*s.size)) + " ";
  if (s.colour) out += std::string(to_string(*s.colour)) + " ";
  out += s.kind ? std::string(to_string(*s.kind)) : "shape";
  if (s.pos) out += " (" + std::string(to_string(*s.pos)) + ")";
  return out;
}

std::string describe(const DetectedShape& s) {
  return std::string(to_string(s.size)) + " " + std::string(to_string(s.colour)) + " " +
         std::string(to_string(s.kind)) + " (" + std::string(to_string(s.pos)) + ")";
}

}  // namespace

Analysis analyse(const doc::Image8& rgb) {
  const detail::Working w = detail::prepare(rgb);
  const detail::BackgroundModel bg = detail::estimate_background(w.lab, w.grain);
  const cv::Mat mask = detail::foreground_mask(w.lab, bg.expected_lab);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);

  Analysis a;
  a.bg = bg.spec;
  a.orientation = bg.orientation;
  const double image_area = static_cast<double>(w.lab.cols) * w.lab.rows;
  for (int i = 1; i < n; ++i) {
    if (stats.at<int>(i, cv::CC_STAT_AREA) < min_component_area * image_area) continue;
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    a.shapes.push_back(detail::describe(w, bg, labels, i, box));
  }
  std::sort(a.shapes.begin(), a.shapes.end(), [](const auto& x, const auto& y) { return x.area > y.area; });
  return a;
}

EvalReport evaluate(const doc::Image8& rgb, const SceneSpec& wanted, const EvalOptions& options) {
  EvalReport report;
  report.analysis = analyse(rgb);
  const Analysis& a = report.analysis;
  if (wanted.bg) report.background_ok = background_matches(*wanted.bg, a.bg);
  if (options.require_exact_count) report.count_ok = a.shapes.size() == wanted.shapes.size();

  std::vector<DetectedShape> found(a.shapes.begin(), a.shapes.begin() + static_cast<std::ptrdiff_t>(
                                                                            std::min(a.shapes.size(), max_components)));
  std::vector<int> current, best(wanted.shapes.size(), -1);
  int best_score = -1;
  assign(wanted.shapes, found, 0, current, 0, best, best_score);
  for (std::size_t i = 0; i < wanted.shapes.size(); ++i)
    report.shapes.push_back(judge(wanted.shapes[i], best[i] < 0 ? nullptr : &found[static_cast<std::size_t>(best[i])]));

  if (wanted.relation) {
    const auto ia = static_cast<std::size_t>(wanted.relation->a), ib = static_cast<std::size_t>(wanted.relation->b);
    const bool both = ia < report.shapes.size() && ib < report.shapes.size() && report.shapes[ia].found &&
                      report.shapes[ib].found;
    report.relation_ok = both && relation_holds(wanted.relation->kind, report.shapes[ia].found->cx,
                                                report.shapes[ia].found->cy, report.shapes[ib].found->cx,
                                                report.shapes[ib].found->cy);
  }
  report.all_ok = report.background_ok && report.count_ok && report.relation_ok &&
                  std::all_of(report.shapes.begin(), report.shapes.end(), [](const ShapeReport& r) { return r.ok(); });
  return report;
}

EvalReport evaluate(const doc::Image8& rgb, const std::string& prompt, const EvalOptions& options) {
  const std::optional<SceneSpec> spec = parse_prompt(prompt);
  if (!spec) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     "prompt \"" + prompt + "\": expected a shape or a background colour, found neither");
  }
  return evaluate(rgb, *spec, options);
}

std::string EvalReport::summary() const {
  if (all_ok) return "ok";
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (!background_ok) {
    std::string got = std::string(to_string(analysis.bg.kind)) + " " + std::string(to_string(analysis.bg.a));
    if (analysis.bg.b) got += "/" + std::string(to_string(*analysis.bg.b));
    add("background: found " + got);
  }
  if (!count_ok) add("count: expected " + std::to_string(shapes.size()) + ", found " + std::to_string(analysis.shapes.size()));
  for (const ShapeReport& r : shapes) {
    if (r.ok()) continue;
    add(describe(r.wanted) + ": " + (r.found ? "found " + describe(*r.found) : "not found"));
  }
  if (!relation_ok) add("relation does not hold");
  return out;
}

}  // namespace strata::scenes
