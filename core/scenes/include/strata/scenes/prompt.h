// strata/scenes/prompt.h — what a prompt asks for: the attributes it states, read from its words.
//
// parse_prompt understands the phrasings caption() writes and their obvious variants: colour and
// size adjectives before a shape noun ("a small red circle"), positions after it ("in the top left",
// "on the left", "at the bottom", "in the centre/center/middle"), relations between two shapes
// ("to the left of", "to the right of", "above", "below", "next to", "beside"), and backgrounds
// ("on a blue background", "blue background", "on blue", "on a green and white striped background",
// "on green and white stripes", "on a gradient from red to yellow", "on a red to yellow gradient").
// Words it does not know are ignored. Unstated attributes stay empty and are not checked.
//
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/scenes/scene.h"

namespace strata::scenes {

struct BackgroundSpec {
  BackgroundKind kind = BackgroundKind::Solid;
  Colour a = Colour::White;  // gradient: the start colour ("from a to b")
  std::optional<Colour> b;   // gradient / stripes: the second colour
};

struct ShapeSpec {
  std::optional<Kind> kind;
  std::optional<Colour> colour;
  std::optional<Size> size;
  std::optional<Position> pos;
};

struct SceneSpec {
  std::optional<BackgroundSpec> bg;
  std::vector<ShapeSpec> shapes;
  std::optional<Relation> relation;  // indices into shapes
};

// Every attribute of `scene` stated (kind, colour, size, position, background, relation).
SceneSpec spec_of(const Scene& scene);

// The attributes a prompt states; nullopt when it names neither a shape nor a background.
std::optional<SceneSpec> parse_prompt(const std::string& prompt);

}  // namespace strata::scenes
