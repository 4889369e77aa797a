#include "strata/scenes/held_out.h"

#include <algorithm>

namespace strata::scenes {

const std::vector<std::pair<Kind, Colour>>& held_out_pairs() {
  static const std::vector<std::pair<Kind, Colour>> pairs{
      {Kind::Star, Colour::Blue},    {Kind::Square, Colour::Orange}, {Kind::Circle, Colour::Purple},
      {Kind::Heart, Colour::Yellow}, {Kind::Ring, Colour::White},    {Kind::Cross, Colour::Green},
      {Kind::Hexagon, Colour::Red},  {Kind::Triangle, Colour::Pink},
  };
  return pairs;
}

std::string held_out_description() {
  std::string s;
  for (const auto& [kind, colour] : held_out_pairs()) {
    if (!s.empty()) s += ", ";
    s += std::string(to_string(colour)) + " " + std::string(to_string(kind));
  }
  return s;
}

SceneOptions held_out_scene_options() {
  SceneOptions o;
  o.accept = [](const Scene& scene) {
    return std::any_of(scene.shapes.begin(), scene.shapes.end(), [](const Shape& s) {
      const auto& pairs = held_out_pairs();
      return std::find(pairs.begin(), pairs.end(), std::make_pair(s.kind, s.colour)) != pairs.end();
    });
  };
  return o;
}

}  // namespace strata::scenes
