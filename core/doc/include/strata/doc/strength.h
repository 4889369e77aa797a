// strata/doc/strength.h — per-pixel denoising strength maps from the inputs a user hands over
// outside a document (CLI files, dropped masks). Conventions (DESIGN.md §3): white = 1 = repaint
// fully; 0 = keep the pixel. Plain values, any thread.
#pragma once

#include "strata/doc/image.h"

namespace strata::doc {

// Grey level of every pixel in [0,1]: grey images as they are, RGB(A) by Rec. 601 luma
// (0.299 R + 0.587 G + 0.114 B); alpha is ignored. Returns a 1-channel map of the same size.
ImageF grey_level(const Image8& image);

// A mask (white = repaint) with a strength s: S = s · grey inside, 0 outside (soft edges scale s).
ImageF strength_from_mask(const Image8& mask, float strength);

// Transparency means "nothing there": with an RGBA init image, S = a·S + (1 − a)·1 per pixel, a the
// pixel's alpha in [0,1] (outpainting). Grey or RGB images leave S unchanged.
void raise_strength_where_transparent(ImageF& strength, const Image8& image);

// True when the image has an alpha channel with at least one pixel below 255.
bool has_transparency(const Image8& image);

}  // namespace strata::doc
