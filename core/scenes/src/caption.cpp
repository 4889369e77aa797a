// caption.cpp — varied natural captions and the tokenizer corpus (see caption.h).
#include <algorithm>
#include <string>

#include "rng.h"
#include "strata/scenes/caption.h"

namespace strata::scenes {
namespace {

enum class Style { Canonical, Detailed, Terse, ThereIs, BackgroundFirst, PictureOf, Against, count };

struct Words {
  Rng& rng;
  bool american = false;  // "gray", "center"
  std::string colour(Colour c) const {
    return american && c == Colour::Grey ? "gray" : std::string(to_string(c));
  }
};

std::string with_article(const std::string& phrase) {
  const char c = phrase.empty() ? 'x' : phrase[0];
  const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
  return (vowel ? "an " : "a ") + phrase;
}

std::string position_phrase(Position pos, Words& w) {
  const int col = column_of(pos), row = row_of(pos);
  if (col == 0 && row == 0) {
    const int k = w.rng.below(3);
    return k == 0 ? "in the middle" : w.american ? "in the center" : "in the centre";
  }
  if (col != 0 && row != 0) return "in the " + std::string(to_string(pos)) + (w.rng.chance(0.5f) ? " corner" : "");
  if (row == 0) return col < 0 ? "on the left" : "on the right";
  return row < 0 ? "at the top" : "at the bottom";
}

// "red circle", "small red circle", "large red circle in the top left".
std::string shape_phrase(const Shape& s, Words& w, bool size, bool pos) {
  std::string p;
  if (size) p += s.size == Size::Small ? (w.rng.chance(0.8f) ? "small " : "little ") : (w.rng.chance(0.8f) ? "large " : "big ");
  p += w.colour(s.colour) + " " + std::string(to_string(s.kind));
  if (pos) p += " " + position_phrase(s.pos, w);
  return p;
}

std::string relation_phrase(RelationKind kind, Words& w) {
  switch (kind) {
    case RelationKind::LeftOf: return "to the left of";
    case RelationKind::RightOf: return "to the right of";
    case RelationKind::Above: return "above";
    case RelationKind::Below: return "below";
    case RelationKind::NextTo: return w.rng.chance(0.7f) ? "next to" : "beside";
  }
  return "next to";
}

// "a red circle", "a red circle and a yellow star", "a, b and c" (with articles, or bare for terse).
std::string shape_list(const Scene& scene, Words& w, bool detailed, bool articles, const char* sep) {
  const std::size_t n = scene.shapes.size();
  const bool use_relation = detailed && scene.relation && n == 2 && w.rng.chance(0.8f);
  std::vector<std::string> items;
  for (const Shape& s : scene.shapes) {
    const bool size = detailed && w.rng.chance(0.5f);
    const bool pos = detailed && !use_relation && w.rng.chance(0.5f);
    const std::string p = shape_phrase(s, w, size, pos);
    items.push_back(articles ? with_article(p) : p);
  }
  if (use_relation) {
    const Relation& r = *scene.relation;
    return items[static_cast<std::size_t>(r.a)] + " " + relation_phrase(r.kind, w) + " " + items[static_cast<std::size_t>(r.b)];
  }
  std::string out = items[0];
  for (std::size_t i = 1; i < n; ++i) out += (i + 1 == n ? std::string(sep) : std::string(", ")) + items[i];
  return out;
}

// bg as a noun phrase: "a blue background", "a gradient from red to yellow", "a green and white striped
// background"; short: "blue", "a red to yellow gradient", "green and white stripes"; terse drops articles.
std::string background_phrase(const Background& bg, Words& w, int form) {
  const std::string a = w.colour(bg.a), b = w.colour(bg.b);
  switch (bg.kind) {
    case BackgroundKind::Solid:
      return form == 0 ? with_article(a + " background") : form == 1 ? a : a + " background";
    case BackgroundKind::Gradient:
      return form == 0 ? "a gradient from " + a + " to " + b
             : form == 1 ? with_article(a + " to " + b + " gradient")
                         : a + " to " + b + " gradient";
    case BackgroundKind::Stripes:
      return form == 0 ? with_article(a + " and " + b + " striped background")
             : form == 1 ? a + " and " + b + " stripes"
                         : a + " and " + b + " stripes";
  }
  return {};
}

std::string caption_with(const Scene& scene, Style style, Rng& rng) {
  Words w{rng, rng.chance(0.15f)};
  switch (style) {
    case Style::Canonical:
    case Style::count:
      break;
    case Style::Detailed:
      return shape_list(scene, w, true, true, " and ") + " on " + background_phrase(scene.bg, w, 0);
    case Style::Terse:
      return shape_list(scene, w, rng.chance(0.3f), false, ", ") + ", " + background_phrase(scene.bg, w, 2);
    case Style::ThereIs:
      return "there is " + shape_list(scene, w, rng.chance(0.5f), true, " and ") + " on " +
             background_phrase(scene.bg, w, 1);
    case Style::BackgroundFirst:
      return background_phrase(scene.bg, w, scene.bg.kind == BackgroundKind::Solid || rng.chance(0.5f) ? 0 : 1) + " with " +
             shape_list(scene, w, rng.chance(0.5f), true, " and ");
    case Style::PictureOf:
      return (rng.chance(0.5f) ? "a picture of " : "an image of ") + shape_list(scene, w, rng.chance(0.5f), true, " and ") +
             " on " + background_phrase(scene.bg, w, rng.chance(0.5f) ? 0 : 1);
    case Style::Against:
      return shape_list(scene, w, rng.chance(0.5f), true, " and ") + " against " + background_phrase(scene.bg, w, 0);
  }
  Rng quiet(0);
  Words plain{quiet, false};
  return shape_list(scene, plain, false, true, " and ") + " on " + background_phrase(scene.bg, plain, 0);
}

}  // namespace

std::string canonical_caption(const Scene& scene) {
  Rng rng(0);
  return caption_with(scene, Style::Canonical, rng);
}

std::string caption(const Scene& scene, std::uint64_t seed) {
  Rng rng(seed_of(seed, 0xca971));
  // The canonical form is drawn most often: it is what users type and what the README shows.
  const int k = rng.below(10);
  const Style style = k < 3 ? Style::Canonical : k < 5 ? Style::Detailed : static_cast<Style>(k - 3);
  return caption_with(scene, style, rng);
}

std::vector<std::string> caption_corpus(int n, std::uint64_t seed) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(std::max(n, 0)));
  for (int i = 0; i < n; ++i) {
    const std::uint64_t s = seed_of(seed, static_cast<std::uint64_t>(i));
    out.push_back(caption(sample_scene(s), s ^ 0x1234567ull));
  }
  return out;
}

}  // namespace strata::scenes
