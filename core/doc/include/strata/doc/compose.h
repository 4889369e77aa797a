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
//     mask is inverted. It is blurred when feather > 0 (separable Gaussian, σ = feather / 3, cut
//     off at ±feather px, over the real neighbouring pixels): v_l = blur(c_l). Masks combine with
//     max: V = max_l v_l. The rect "has a mask" when V > 0 somewhere in it. A mask with nothing
//     painted has no effect; an inverted one covers everything with 1; hidden masks are ignored.
//
//  4. Result (InvokeAI's inpainting semantics: once a mask is present, only masked pixels change).
//         no mask in rect:   S(p) = S_r
//         a mask in rect:    S(p) = A · V + (1 − A)
//     Without a mask the layers' strengths decide. With one, layer strengths are ignored: the
//     covered part of a pixel takes the mask's strength V (brush opacity; soft brushes and feather
//     make gradients), so pixels outside every mask get 0 and are kept, and its transparent part
//     gets 1. Where the rounded composite alpha is 0 the pixel is empty and S(p) = 1 (it will be
//     infilled and fully generated: outpainting works with or without a mask). S is clamped to [0, 1].
//
// Consequences: a uniform S ≡ s is plain img2img at s; no layers → rgba fully transparent, S ≡ 1
// (txt2img); a layer of strength 0 under no mask is kept exactly, and so is every opaque pixel
// outside the masks when a mask is present (paste-back mask S > 0 excludes them).
// Thread: a pure function of the document; call it on the thread that owns the document (or on a
// snapshot copy anywhere).
#pragma once

#include "strata/doc/document.h"

namespace strata::doc {

struct Composition {
  Rect rect;         // the composed area, document coordinates
  Image8 rgba;       // rect-sized, 4 channels, straight alpha
  ImageF strength;   // rect-sized, 1 channel, S in [0,1]
  bool has_mask = false;  // some visible mask has V > 0 inside rect (rule 4's switch)
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
