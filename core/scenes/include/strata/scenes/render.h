// strata/scenes/render.h — rasterising a Scene with OpenCV (anti-aliased, sub-pixel precise).
//
// The background is computed per pixel (stripe edges are box-filtered), each shape is drawn as a
// coverage mask (cv::fillPoly, LINE_AA, 8 fractional bits) and blended over it in scene order.
// The same scene renders at any size; the result depends only on the scene and the size.
//
// Thread-safety: reentrant. Errors: doc::Error(InvalidArgument) for a size outside [8, 8192].
#pragma once

#include <vector>

#include "strata/doc/image.h"
#include "strata/scenes/scene.h"

namespace strata::scenes {

struct Point2 {
  float x = 0.f, y = 0.f;
};

// A shape's outline(s) in pixels for a width x height canvas: one polygon, or two for a ring
// (outer, then the hole). `vertices_per_curve` > 0 overrides the automatic curve resolution.
std::vector<std::vector<Point2>> shape_outline(const Shape& shape, int width, int height,
                                               int vertices_per_curve = 0);

// The background alone, RGB.
doc::Image8 render_background(const Background& bg, int width, int height);

// The whole scene, RGB (3 channels).
doc::Image8 render(const Scene& scene, int width, int height);

// Where the scene's shapes are: the largest coverage of any shape per pixel, 1 channel, 0…255
// (a ring's hole stays 0).
doc::Image8 render_shape_mask(const Scene& scene, int width, int height);

}  // namespace strata::scenes
