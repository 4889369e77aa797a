// raster.h — a shape's anti-aliased coverage (0..255) over a window of a width x height canvas:
// the one rasteriser behind render() and the evaluator's shape templates.
#pragma once

#include <opencv2/core.hpp>

#include "strata/scenes/scene.h"

namespace strata::scenes {

cv::Mat coverage(const Shape& shape, int width, int height, const cv::Rect& window);  // CV_8UC1

}  // namespace strata::scenes
