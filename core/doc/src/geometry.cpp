#include "strata/doc/geometry.h"

#include <cmath>

#include "strata/doc/error.h"

namespace strata::doc {

Rect intersect(const Rect& a, const Rect& b) {
  const int x0 = std::max(a.x, b.x);
  const int y0 = std::max(a.y, b.y);
  const int x1 = std::min(a.right(), b.right());
  const int y1 = std::min(a.bottom(), b.bottom());
  if (x1 <= x0 || y1 <= y0) return {};
  return {x0, y0, x1 - x0, y1 - y0};
}

Rect unite(const Rect& a, const Rect& b) {
  if (a.empty()) return b.empty() ? Rect{} : b;
  if (b.empty()) return a;
  const int x0 = std::min(a.x, b.x);
  const int y0 = std::min(a.y, b.y);
  return {x0, y0, std::max(a.right(), b.right()) - x0, std::max(a.bottom(), b.bottom()) - y0};
}

std::string to_string(const Rect& r) {
  return std::to_string(r.x) + " " + std::to_string(r.y) + " " + std::to_string(r.width) + " " +
         std::to_string(r.height);
}

void validate_bbox(const Rect& r) {
  const auto check = [&](const char* side, int v) {
    const std::string where = "bbox " + to_string(r) + ": " + side + " ";
    if (v > bbox_max) {
      throw Error(ErrorCode::TooLarge,
                  where + "expected at most " + std::to_string(bbox_max) + ", found " + std::to_string(v));
    }
    if (v < bbox_min || v % bbox_step != 0) {
      throw Error(ErrorCode::InvalidArgument, where + "expected a multiple of " + std::to_string(bbox_step) +
                                                  " of at least " + std::to_string(bbox_min) + ", found " +
                                                  std::to_string(v));
    }
  };
  check("width", r.width);
  check("height", r.height);
}

namespace {
int round_to_step(int v) {
  return static_cast<int>(std::lround(static_cast<double>(v) / bbox_step)) * bbox_step;
}
}  // namespace

Rect snap_bbox(const Rect& r) {
  return {round_to_step(r.x), round_to_step(r.y), std::clamp(round_to_step(r.width), bbox_min, bbox_max),
          std::clamp(round_to_step(r.height), bbox_min, bbox_max)};
}

}  // namespace strata::doc
