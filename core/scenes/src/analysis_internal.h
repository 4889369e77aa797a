// analysis_internal.h — the evaluator's stages (background model, shape description), shared by
// background.cpp, features.cpp and evaluate.cpp.
#pragma once

#include <opencv2/core.hpp>

#include "colour_math.h"
#include "strata/scenes/evaluate.h"

namespace strata::scenes::detail {

// The image as floats: RGB 0..255 and CIELAB (L 0..100), CV_32FC3 both.
struct Working {
  cv::Mat rgb;
  cv::Mat lab;
  float grain = 0.f;  // median neighbour difference along the border, RGB levels (0 for renders)
};
Working prepare(const doc::Image8& rgb);

struct BackgroundModel {
  BackgroundSpec spec;
  Orientation orientation = Orientation::Horizontal;
  cv::Mat expected_lab;  // CV_32FC3, the background's colour at every pixel
  cv::Mat expected_rgb;  // the same in RGB 0..255
};
BackgroundModel estimate_background(const cv::Mat& lab, float grain);

// 255 where the pixel's ΔE from the background model exceeds the threshold (CV_8UC1).
cv::Mat foreground_mask(const cv::Mat& lab, const cv::Mat& expected_lab);

// Component `label` of `labels` (CV_32S, 0 = background), bounding box `box`, as a DetectedShape.
DetectedShape describe(const Working& w, const BackgroundModel& bg, const cv::Mat& labels, int label,
                       const cv::Rect& box);

Lab lab_at(const cv::Mat& lab, int x, int y);

}  // namespace strata::scenes::detail
