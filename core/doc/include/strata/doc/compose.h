// strata/doc/compose.h — turns a Document into generation inputs: the init image and the per-pixel
// denoising strength map S (DESIGN §3).
//
// Rules, for every pixel p of the requested rect (document coordinates):
//
//  1. Colour. Visible raster layers are alpha-composited bottom → top, src-over, straight alpha
//     in and out, with a_l(p) = pixel alpha / 255 × layer opacity. Accumulation is in float
//     (premultiplied) and rounded once. Hidden layers and masks do not contribute colour.
//     A = the composite alpha in [0,1]; `rgba` holds the rounded result (RGB = 0 where alpha = 0).
//
//  2. Raster strength. Over the same visible raster layers, with uncovered canvas counting as
//     strength 1:
//         S_r(p) = Σ_l s_l · a_l · Π_{k above l} (1 − a_k)  +  1 · Π_{all l} (1 − a_l)
//     i.e. the topmost layer that covers p decides, alpha-weighted over the layers below, and
//     uncovered pixels get 1. (Bottom → top this is S ← s_l · a_l + S · (1 − a_l), starting at 1.)
//
//  3. Masks. For each visible mask layer, c_l(p) = coverage / 255, or 1 − coverage / 255 when the
//     mask is inverted; its presence is [c_l(p) > 0]. Both are blurred when feather > 0 (separable
//     Gaussian, σ = feather / 3, cut off at ±feather px, over the real neighbouring pixels):
//     v_l = blur(c_l), p_l = blur(presence). Masks combine with max: V = max_l v_l, P = max_l p_l.
//
//  4. Result.
//         S(p) = (1 − P) · S_r  +  P · (A · V + (1 − A))
//     Where a mask is painted (P = 1) it overrides the layers' strengths: the covered part of the
//     pixel takes the mask's strength V, its transparent part 1; where no mask is (P = 0) the
//     layers decide. Across a feathered edge S blends smoothly from one to the other (it never dips
//     below both). Where the rounded composite alpha is 0 the pixel is empty and S(p) = 1 (it will
//     be infilled and fully generated: outpainting). S is clamped to [0, 1].
//
// Consequences: a uniform S ≡ s is plain img2img at s; no layers → rgba fully transparent, S ≡ 1
// (txt2img); a layer of strength 0 under no mask is kept exactly (paste-back mask S > 0 is empty).
// Thread: a pure function of the document; call it on the thread that owns the document (or on a
// snapshot copy anywhere).
#pragma once

#include "strata/doc/document.h"

namespace strata::doc {

struct Composition {
  Rect rect;         // the composed area, document coordinates
  Image8 rgba;       // rect-sized, 4 channels, straight alpha
  ImageF strength;   // rect-sized, 1 channel, S in [0,1]
  bool has_mask = false;  // some visible mask has P > 0 inside rect
};

// Largest area compose accepts (bbox_max²); beyond it Error(TooLarge).
inline constexpr std::int64_t max_compose_area = std::int64_t{bbox_max} * bbox_max;

// Throws Error(InvalidArgument) for an empty rect, Error(TooLarge) beyond max_compose_area.
Composition compose(const Document& doc, const Rect& rect);
inline Composition compose(const Document& doc) { return compose(doc, doc.bbox()); }

// Rule 1 alone (colour, no strength, masks ignored) over any rect, for previews written into files
// (OpenRaster's mergedimage.png): the same pixels as compose(doc, rect).rgba, with no area limit
// and about one RGBA copy of the rect in memory. Layer bounds are cached first, so call it on the
// document's thread (or a snapshot copy); it uses every core. Throws Error(InvalidArgument) for an
// empty rect.
Image8 flatten(const Document& doc, const Rect& rect);

// In place, on a w × h single-channel float plane: the feather blur of rule 3 (no-op for radius 0).
// Pixels outside the plane count as the nearest edge pixel.
void feather_blur(std::vector<float>& plane, int width, int height, int radius);

}  // namespace strata::doc
