// strata/scenes/held_out.h — the (shape, colour) combinations the embedded model never sees in
// training, so that evaluation measures generalisation, not recall. strata-train excludes them
// (SceneOptions::excluded); `strata-cli eval-shapes` draws every prompt with at least one of them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "strata/scenes/scene.h"

namespace strata::scenes {

const std::vector<std::pair<Kind, Colour>>& held_out_pairs();
std::string held_out_description();  // "blue star, orange square, …"

// Scenes for evaluation: every scene has at least one held-out pair among its shapes.
SceneOptions held_out_scene_options();

}  // namespace strata::scenes
