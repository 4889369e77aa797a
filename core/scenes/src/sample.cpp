// sample.cpp — drawing a Scene from a seed (see scene.h).
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "colour_math.h"
#include "rng.h"
#include "strata/doc/error.h"
#include "strata/scenes/scene.h"

namespace strata::scenes {
namespace {

constexpr float min_bg_contrast = 35.f;  // ΔE between a shape's colour and its background
constexpr float gap = 0.05f;             // between two shapes' enclosing circles

template <typename T>
std::vector<T> or_all(const std::vector<T>& allowed, std::span<const T> all) {
  return allowed.empty() ? std::vector<T>(all.begin(), all.end()) : allowed;
}

Background sample_background(Rng& rng, const SceneOptions& o) {
  Background bg;
  if (!o.bg_kinds.empty()) {
    bg.kind = rng.pick(std::span<const BackgroundKind>(o.bg_kinds));
  } else {
    const float u = rng.unit();
    bg.kind = u < o.gradient_probability                           ? BackgroundKind::Gradient
              : u < o.gradient_probability + o.stripes_probability ? BackgroundKind::Stripes
                                                                   : BackgroundKind::Solid;
  }
  const std::vector<Colour> colours = or_all(o.bg_colours, all_colours());
  bg.a = rng.pick(std::span<const Colour>(colours));
  bg.b = bg.a;
  if (bg.kind != BackgroundKind::Solid && colours.size() > 1) {
    while (bg.b == bg.a) bg.b = rng.pick(std::span<const Colour>(colours));
  }
  if (bg.a == bg.b) bg.kind = BackgroundKind::Solid;
  bg.orientation = rng.chance(0.5f) ? Orientation::Horizontal : Orientation::Vertical;
  bg.stripe_width = rng.uniform(0.07f, 0.14f);
  return bg;
}

// The relative coordinate of a shape of radius r in column / row `cell` (-1, 0, 1).
float place(Rng& rng, int cell, float r) {
  if (cell == 0) return rng.uniform(0.44f, 0.56f);
  const float lo = r + 0.03f, hi = std::max(lo, 0.30f);
  const float c = rng.uniform(lo, hi);
  return cell < 0 ? c : 1.f - c;
}

Position cell_position(int col, int row) {
  return position_of(0.5f + 0.3f * static_cast<float>(col), 0.5f + 0.3f * static_cast<float>(row));
}

// Cells (col, row) for n shapes, honouring the relation between shapes 0 and 1.
std::vector<std::pair<int, int>> sample_cells(Rng& rng, int n, const std::optional<Relation>& rel) {
  std::vector<std::pair<int, int>> cells;
  if (rel) {
    const int lane = rng.below(3) - 1;
    const int far = rng.chance(0.5f) ? 1 : 0;
    switch (rel->kind) {
      case RelationKind::LeftOf: cells = {{-1, lane}, {far, lane}}; break;
      case RelationKind::RightOf: cells = {{far, lane}, {-1, lane}}; break;
      case RelationKind::Above: cells = {{lane, -1}, {lane, far}}; break;
      case RelationKind::Below: cells = {{lane, far}, {lane, -1}}; break;
      case RelationKind::NextTo:
        cells = {{-1, lane}, {1, lane}};
        if (rng.chance(0.5f)) std::swap(cells[0], cells[1]);
        break;
    }
    return cells;
  }
  while (static_cast<int>(cells.size()) < n) {
    const std::pair<int, int> c{rng.below(3) - 1, rng.below(3) - 1};
    if (std::find(cells.begin(), cells.end(), c) == cells.end()) cells.push_back(c);
  }
  return cells;
}

float angle_for(Rng& rng, Kind kind) {
  switch (kind) {
    case Kind::Circle: case Kind::Ring: return 0.f;
    case Kind::Cross: case Kind::Heart: return rng.uniform(-8.f, 8.f);
    default: return rng.uniform(-12.f, 12.f);
  }
}

std::optional<Scene> sample_once(Rng& rng, const SceneOptions& o) {
  Scene scene;
  scene.bg = sample_background(rng, o);
  const int n = o.min_shapes + rng.below(o.max_shapes - o.min_shapes + 1);

  std::vector<std::pair<Kind, Colour>> combos;
  for (Kind k : or_all(o.kinds, all_kinds()))
    for (Colour c : or_all(o.shape_colours, all_colours())) {
      const bool excluded = std::find(o.excluded.begin(), o.excluded.end(), std::pair{k, c}) != o.excluded.end();
      if (!excluded && distance_to_background(c, scene.bg) >= min_bg_contrast) combos.emplace_back(k, c);
    }
  if (static_cast<int>(combos.size()) < n) return std::nullopt;
  for (int i = 0; i < n; ++i) {
    const std::size_t j = static_cast<std::size_t>(i + rng.below(static_cast<int>(combos.size()) - i));
    std::swap(combos[static_cast<std::size_t>(i)], combos[j]);
    Shape s;
    s.kind = combos[static_cast<std::size_t>(i)].first;
    s.colour = combos[static_cast<std::size_t>(i)].second;
    s.angle = angle_for(rng, s.kind);
    scene.shapes.push_back(s);
  }
  if (n == 2 && rng.chance(o.relation_probability)) {
    scene.relation = Relation{static_cast<RelationKind>(rng.below(5)), 0, 1};
  }

  for (int attempt = 0; attempt < 40; ++attempt) {
    const auto cells = sample_cells(rng, n, scene.relation);
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) {
      Shape& s = scene.shapes[static_cast<std::size_t>(i)];
      // Later attempts favour small shapes: three large ones rarely fit.
      s.size = rng.chance(attempt < 20 ? 0.5f : 0.2f) ? Size::Large : Size::Small;
      s.r = s.size == Size::Large ? rng.uniform(0.17f, 0.21f) : rng.uniform(0.085f, 0.115f);
      s.cx = place(rng, cells[static_cast<std::size_t>(i)].first, s.r);
      s.cy = place(rng, cells[static_cast<std::size_t>(i)].second, s.r);
      s.pos = cell_position(cells[static_cast<std::size_t>(i)].first, cells[static_cast<std::size_t>(i)].second);
      for (int j = 0; j < i && ok; ++j) {
        const Shape& t = scene.shapes[static_cast<std::size_t>(j)];
        ok = std::hypot(s.cx - t.cx, s.cy - t.cy) >= s.r + t.r + gap;
      }
    }
    if (ok && scene.relation) {
      const Shape& a = scene.shapes[0];
      const Shape& b = scene.shapes[1];
      ok = relation_slack(scene.relation->kind, a.cx, a.cy, b.cx, b.cy) >= 0.03f;
    }
    if (ok) return scene;
  }
  return std::nullopt;
}

}  // namespace

Scene sample_scene(std::uint64_t seed, const SceneOptions& options) {
  if (options.min_shapes < 1 || options.max_shapes > 3 || options.min_shapes > options.max_shapes) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     "scene options: expected 1 <= min_shapes <= max_shapes <= 3, found " +
                         std::to_string(options.min_shapes) + ".." + std::to_string(options.max_shapes));
  }
  Rng rng(seed_of(seed, 0x5ce7e5));
  for (int attempt = 0; attempt < 10000; ++attempt) {
    std::optional<Scene> scene = sample_once(rng, options);
    if (scene && (!options.accept || options.accept(*scene))) return std::move(*scene);
  }
  throw doc::Error(doc::ErrorCode::InvalidArgument,
                   "scene options: no scene satisfied the options in 10000 draws (seed " + std::to_string(seed) +
                       "); the allowed kinds, colours and exclusions leave nothing to draw");
}

}  // namespace strata::scenes
