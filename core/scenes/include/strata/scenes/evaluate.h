// strata/scenes/evaluate.h — checking an image against what its prompt asks for (OpenCV).
//
// analyse() finds the background from the border pixels (constant, or varying along x or y; stripes
// cross back and forth between two colours, a gradient once; colours snapped to the nearest named
// colour in CIELAB), segments the foreground (pixels more than ΔE 16 from the background model;
// grainy images are median-filtered first), and describes each connected component:
//  - colour: the nearest named colour of the median of its interior;
//  - coverage α per pixel (projection onto the background → shape colour line, so anti-aliased and
//    soft edges count partially);
//  - kind: every kind's template, drawn by the scenes' own rasteriser, fitted to α's area and
//    centroid and tried at the angles its symmetry allows (sharp and softened); best soft IoU wins.
//    This is what makes 12-pixel shapes at 64x64 readable, where contour measures are not;
//  - contour features of the upsampled α (solidity, fill of the enclosing circle, hole share, deep
//    convexity defects), reported for inspection;
//  - size from the fitted radius (size_threshold), position from the centroid (position_of).
// evaluate() matches the stated shapes to the components (best assignment by attribute score) and
// reports each stated attribute. A stated position constrains only the axes it names: "on the
// left" accepts any row, "in the top left" and "in the centre" constrain both.
//
// Thread-safety: reentrant. Errors: doc::Error(InvalidArgument) for an image that is not RGB or
// smaller than 16x16, and for a prompt parse_prompt cannot read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/doc/image.h"
#include "strata/scenes/prompt.h"
#include "strata/scenes/scene.h"

namespace strata::scenes {

struct DetectedShape {
  Kind kind = Kind::Circle;
  Colour colour = Colour::Red;
  Size size = Size::Small;
  Position pos = Position::Centre;
  float cx = 0.f, cy = 0.f;  // centroid, relative
  float r = 0.f;             // enclosing radius, relative to min(width, height)
  float area = 0.f;          // fraction of the image
  // Features behind `kind` (for reports and tuning).
  float solidity = 0.f, fill = 0.f, hole = 0.f;
  int deep_defects = 0;
};

struct Analysis {
  BackgroundSpec bg;
  Orientation orientation = Orientation::Horizontal;
  std::vector<DetectedShape> shapes;  // largest first
};

struct ShapeReport {
  ShapeSpec wanted;
  std::optional<DetectedShape> found;  // the component it was matched with
  bool kind_ok = false, colour_ok = false, size_ok = false, position_ok = false;
  bool ok() const { return found && kind_ok && colour_ok && size_ok && position_ok; }
};

struct EvalReport {
  Analysis analysis;
  bool background_ok = true;  // true when the prompt states no background
  bool count_ok = true;       // as many components as stated shapes (when required)
  bool relation_ok = true;
  std::vector<ShapeReport> shapes;
  bool all_ok = false;
  std::string summary() const;  // one line: what failed, or "ok"
};

struct EvalOptions {
  bool require_exact_count = true;  // extra shapes in the image fail the check
};

Analysis analyse(const doc::Image8& rgb);
EvalReport evaluate(const doc::Image8& rgb, const SceneSpec& wanted, const EvalOptions& options = {});
EvalReport evaluate(const doc::Image8& rgb, const std::string& prompt, const EvalOptions& options = {});

}  // namespace strata::scenes
