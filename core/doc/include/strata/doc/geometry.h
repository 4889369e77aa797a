// strata/doc/geometry.h — integer rectangles in document coordinates and the generation bbox rules.
//
// Document coordinates are unbounded integers (negative allowed), x to the right, y down; a Rect
// covers [x, x + width) × [y, y + height). All functions are pure values: any thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

namespace strata::doc {

struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;

  bool empty() const { return width <= 0 || height <= 0; }
  int right() const { return x + width; }    // one past the last column
  int bottom() const { return y + height; }  // one past the last row
  std::int64_t area() const { return empty() ? 0 : std::int64_t{width} * height; }
  bool contains(int px, int py) const { return px >= x && px < right() && py >= y && py < bottom(); }
  Rect translated(int dx, int dy) const { return {x + dx, y + dy, width, height}; }
  Rect expanded(int margin) const { return {x - margin, y - margin, width + 2 * margin, height + 2 * margin}; }
  friend bool operator==(const Rect&, const Rect&) = default;
};

// Overlap of a and b; an empty Rect ({0,0,0,0}) when they do not overlap.
Rect intersect(const Rect& a, const Rect& b);
// Smallest Rect holding both; an empty operand is ignored.
Rect unite(const Rect& a, const Rect& b);
// "x y w h", e.g. "-8 16 512 512" (used in messages and dumps).
std::string to_string(const Rect& r);

// The generation bounding box (DESIGN §3): width and height are multiples of bbox_step, between
// bbox_min and bbox_max (SD's latent is 1/8 of the image; InvokeAI also uses 64 as its minimum).
// The position is free (any integer).
inline constexpr int bbox_step = 8;
inline constexpr int bbox_min = 64;
inline constexpr int bbox_max = 8192;
inline constexpr Rect default_bbox{0, 0, 512, 512};

// Throws Error(InvalidArgument) naming the bbox and the offending side when `r` breaks the rules
// above (TooLarge when a side exceeds bbox_max).
void validate_bbox(const Rect& r);
// The nearest valid bbox: x, y rounded to the nearest multiple of 8 (snap-to-grid), width and
// height rounded to the nearest multiple of 8 and clamped to [bbox_min, bbox_max].
Rect snap_bbox(const Rect& r);

}  // namespace strata::doc
