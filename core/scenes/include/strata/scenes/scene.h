// strata/scenes/scene.h — procedural scenes: the training data of the embedded default model.
//
// A Scene is 1-3 flat shapes (kind, named colour, size, position) on a background (solid,
// two-colour gradient or stripes), optionally with a relation between two shapes. Geometry is in
// relative coordinates (x, y in [0,1] of the canvas, radii relative to min(width, height)), so a
// scene renders at any resolution (render.h). Scenes are drawn from a seed with a private PRNG
// (splitmix64) and no std distributions: the same seed gives the same scene on every platform.
//
// Ownership: plain values. Thread-safety: every function is reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::scenes {

enum class Kind { Circle, Square, Triangle, Star, Ring, Cross, Heart, Hexagon };
enum class Colour { Red, Green, Blue, Yellow, Orange, Purple, White, Black, Pink, Cyan, Brown, Grey };
enum class Size { Small, Large };
// The nine cells of a 3x3 grid; a single-axis word ("left") names the middle cell of that side.
enum class Position { Centre, Left, Right, Top, Bottom, TopLeft, TopRight, BottomLeft, BottomRight };
enum class BackgroundKind { Solid, Gradient, Stripes };
enum class Orientation { Horizontal, Vertical };  // gradient runs / stripes vary along x or y
// "shapes[a] <relation> shapes[b]": LeftOf, RightOf, Above, Below, NextTo (side by side).
enum class RelationKind { LeftOf, RightOf, Above, Below, NextTo };

inline constexpr int kind_count = 8;
inline constexpr int colour_count = 12;

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

struct Background {
  BackgroundKind kind = BackgroundKind::Solid;
  Colour a = Colour::White;  // the solid colour; a gradient's start (left or top); one stripe colour
  Colour b = Colour::White;  // a gradient's end (right or bottom); the other stripe colour
  Orientation orientation = Orientation::Horizontal;  // Horizontal: colour changes along x
  float stripe_width = 0.1f;  // relative to the varying axis' length; stripes start with `a`
  bool operator==(const Background&) const = default;
};

struct Shape {
  Kind kind = Kind::Circle;
  Colour colour = Colour::Red;
  Size size = Size::Small;
  Position pos = Position::Centre;  // the cell (cx, cy) lies in (position_of(cx, cy) == pos)
  float cx = 0.5f, cy = 0.5f;       // centre, relative to width / height
  float r = 0.1f;                   // enclosing radius, relative to min(width, height)
  float angle = 0.f;                // rotation in degrees (small; hearts and crosses stay upright-ish)
  bool operator==(const Shape&) const = default;
};

struct Relation {
  RelationKind kind = RelationKind::LeftOf;
  int a = 0, b = 1;  // indices into Scene::shapes
  bool operator==(const Relation&) const = default;
};

struct Scene {
  Background bg;
  std::vector<Shape> shapes;
  std::optional<Relation> relation;

  bool operator==(const Scene&) const = default;
};

struct SceneOptions {
  int min_shapes = 1;
  int max_shapes = 3;
  // Allowed attribute values (empty = all). Backgrounds may use any colour in bg_colours.
  std::vector<Kind> kinds;
  std::vector<Colour> shape_colours;
  std::vector<Colour> bg_colours;
  std::vector<BackgroundKind> bg_kinds;
  float gradient_probability = 0.2f;  // when bg_kinds is empty: P(gradient), P(stripes)
  float stripes_probability = 0.2f;
  float relation_probability = 0.35f;  // for scenes with two shapes
  // (kind, colour) pairs never drawn as a shape, e.g. held out of training.
  std::vector<std::pair<Kind, Colour>> excluded;
  // When set, scenes are redrawn (from the same seed's stream) until accept(scene) is true;
  // sample_scene throws doc::Error(InvalidArgument) after 10000 rejections.
  std::function<bool(const Scene&)> accept;
};

// Named attribute values: the words captions use ("top left", "centre", "grey").
std::string_view to_string(Kind kind);
std::string_view to_string(Colour colour);
std::string_view to_string(Size size);
std::string_view to_string(Position pos);
std::string_view to_string(BackgroundKind kind);
Rgb rgb_of(Colour colour);
std::span<const Kind> all_kinds();
std::span<const Colour> all_colours();

// The 3x3 cell a relative point lies in (columns split at 0.38 / 0.62, rows likewise).
Position position_of(float x, float y);
int column_of(Position pos);  // -1 left, 0 centre, 1 right
int row_of(Position pos);     // -1 top, 0 middle, 1 bottom

// Size classes split at this enclosing radius (relative to min(width, height)).
inline constexpr float size_threshold = 0.14f;

// How clearly "a <kind> b" holds between the centres (relative coordinates): > 0 when it holds.
// LeftOf: b is at least 0.12 further right and more right than up or down; NextTo: side by side,
// at least 0.12 apart in x and less than half that far apart in y. Sampling asks for slack >= 0.03.
float relation_slack(RelationKind kind, float ax, float ay, float bx, float by);
bool relation_holds(RelationKind kind, float ax, float ay, float bx, float by);

// Draws a scene. Throws doc::Error(InvalidArgument) for inconsistent options (min > max, nothing
// allowed, more shapes than 3) or when `accept` rejects 10000 scenes in a row.
Scene sample_scene(std::uint64_t seed, const SceneOptions& options = {});

}  // namespace strata::scenes
