// names.cpp — attribute names, the palette, cells and relations, and the colour maths.
#include <algorithm>
#include <array>
#include <cmath>

#include "colour_math.h"
#include "strata/scenes/scene.h"

namespace strata::scenes {
namespace {

constexpr std::array<Kind, kind_count> kinds = {Kind::Circle, Kind::Square, Kind::Triangle, Kind::Star,
                                                Kind::Ring,   Kind::Cross,  Kind::Heart,    Kind::Hexagon};
constexpr std::array<Colour, colour_count> colours = {
    Colour::Red,   Colour::Green, Colour::Blue, Colour::Yellow, Colour::Orange, Colour::Purple,
    Colour::White, Colour::Black, Colour::Pink, Colour::Cyan,   Colour::Brown,  Colour::Grey};
// Chosen so that every pair is at least ΔE 38 apart in CIELAB.
constexpr std::array<Rgb, colour_count> palette = {{{215, 35, 35},
                                                    {40, 160, 60},
                                                    {30, 80, 225},
                                                    {245, 215, 40},
                                                    {245, 140, 30},
                                                    {140, 40, 150},
                                                    {245, 245, 245},
                                                    {20, 20, 20},
                                                    {245, 140, 190},
                                                    {50, 200, 215},
                                                    {120, 75, 35},
                                                    {128, 128, 128}}};

float linear(float u) {
  u /= 255.f;
  return u <= 0.04045f ? u / 12.92f : std::pow((u + 0.055f) / 1.055f, 2.4f);
}
float lab_f(float t) { return t > 0.008856f ? std::cbrt(t) : 7.787f * t + 16.f / 116.f; }

}  // namespace

std::string_view to_string(Kind kind) {
  constexpr std::array<std::string_view, kind_count> names = {"circle", "square", "triangle", "star",
                                                              "ring",   "cross",  "heart",    "hexagon"};
  return names[static_cast<std::size_t>(kind)];
}
std::string_view to_string(Colour colour) {
  constexpr std::array<std::string_view, colour_count> names = {
      "red", "green", "blue", "yellow", "orange", "purple", "white", "black", "pink", "cyan", "brown", "grey"};
  return names[static_cast<std::size_t>(colour)];
}
std::string_view to_string(Size size) { return size == Size::Small ? "small" : "large"; }
std::string_view to_string(Position pos) {
  constexpr std::array<std::string_view, 9> names = {"centre", "left",     "right",       "top",         "bottom",
                                                     "top left", "top right", "bottom left", "bottom right"};
  return names[static_cast<std::size_t>(pos)];
}
std::string_view to_string(BackgroundKind kind) {
  return kind == BackgroundKind::Solid ? "solid" : kind == BackgroundKind::Gradient ? "gradient" : "stripes";
}
Rgb rgb_of(Colour colour) { return palette[static_cast<std::size_t>(colour)]; }
std::span<const Kind> all_kinds() { return kinds; }
std::span<const Colour> all_colours() { return colours; }

int column_of(Position pos) {
  switch (pos) {
    case Position::Left: case Position::TopLeft: case Position::BottomLeft: return -1;
    case Position::Right: case Position::TopRight: case Position::BottomRight: return 1;
    default: return 0;
  }
}
int row_of(Position pos) {
  switch (pos) {
    case Position::Top: case Position::TopLeft: case Position::TopRight: return -1;
    case Position::Bottom: case Position::BottomLeft: case Position::BottomRight: return 1;
    default: return 0;
  }
}

Position position_of(float x, float y) {
  const int col = x < 0.38f ? -1 : x > 0.62f ? 1 : 0;
  const int row = y < 0.38f ? -1 : y > 0.62f ? 1 : 0;
  constexpr Position grid[3][3] = {{Position::TopLeft, Position::Top, Position::TopRight},
                                   {Position::Left, Position::Centre, Position::Right},
                                   {Position::BottomLeft, Position::Bottom, Position::BottomRight}};
  return grid[row + 1][col + 1];
}

float relation_slack(RelationKind kind, float ax, float ay, float bx, float by) {
  const float dx = bx - ax, dy = by - ay;
  constexpr float min_gap = 0.12f;
  switch (kind) {
    case RelationKind::LeftOf: return std::min(dx - min_gap, dx - std::fabs(dy));
    case RelationKind::RightOf: return std::min(-dx - min_gap, -dx - std::fabs(dy));
    case RelationKind::Above: return std::min(dy - min_gap, dy - std::fabs(dx));
    case RelationKind::Below: return std::min(-dy - min_gap, -dy - std::fabs(dx));
    case RelationKind::NextTo: return std::min(std::fabs(dx) - min_gap, 0.5f * std::fabs(dx) - std::fabs(dy));
  }
  return -1.f;
}

bool relation_holds(RelationKind kind, float ax, float ay, float bx, float by) {
  return relation_slack(kind, ax, ay, bx, by) > 0.f;
}

Lab to_lab(float r, float g, float b) {
  const float lr = linear(r), lg = linear(g), lb = linear(b);
  const float x = (0.4124f * lr + 0.3576f * lg + 0.1805f * lb) / 0.95047f;
  const float y = 0.2126f * lr + 0.7152f * lg + 0.0722f * lb;
  const float z = (0.0193f * lr + 0.1192f * lg + 0.9505f * lb) / 1.08883f;
  const float fx = lab_f(x), fy = lab_f(y), fz = lab_f(z);
  return {116.f * fy - 16.f, 500.f * (fx - fy), 200.f * (fy - fz)};
}

Lab lab_of(Colour colour) {
  static const auto table = [] {
    std::array<Lab, colour_count> t{};
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = to_lab(palette[i]);
    return t;
  }();
  return table[static_cast<std::size_t>(colour)];
}

float delta_e(const Lab& x, const Lab& y) {
  const float dl = x.l - y.l, da = x.a - y.a, db = x.b - y.b;
  return std::sqrt(dl * dl + da * da + db * db);
}

Colour nearest_colour(const Lab& lab, float* distance) {
  Colour best = Colour::Red;
  float best_d = 1e30f;
  for (Colour c : colours) {
    const float d = delta_e(lab, lab_of(c));
    if (d < best_d) best_d = d, best = c;
  }
  if (distance) *distance = best_d;
  return best;
}

float distance_to_background(Colour colour, const Background& bg) {
  const Lab lab = lab_of(colour);
  float d = delta_e(lab, lab_of(bg.a));
  if (bg.kind == BackgroundKind::Solid) return d;
  d = std::min(d, delta_e(lab, lab_of(bg.b)));
  // Gradients show every mix of a and b; stripes show them at their anti-aliased edges.
  if (bg.kind != BackgroundKind::Solid) {
    const Rgb a = rgb_of(bg.a), b = rgb_of(bg.b);
    for (int i = 1; i < 16; ++i) {
      const float t = static_cast<float>(i) / 16.f;
      const Lab mix = to_lab(a.r + t * (b.r - a.r), a.g + t * (b.g - a.g), a.b + t * (b.b - a.b));
      d = std::min(d, delta_e(lab, mix));
    }
  }
  return d;
}

}  // namespace strata::scenes
