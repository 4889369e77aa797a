// strata/scenes/caption.h — natural captions for scenes, and the tokenizer's training corpus.
//
// caption(scene, seed) picks one of several phrasings from the seed ("a red circle on a blue
// background", "red circle, blue background", "there is a small green triangle and a purple heart
// on white", "a large yellow star in the top left on a green background", ...). Size, position and
// relation words are included only sometimes, so a caption states a subset of the scene's
// attributes; whatever it states is true of the scene and parse_prompt (prompt.h) reads it back.
// The canonical phrasing (canonical_caption) is one of the phrasings caption() draws.
//
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "strata/scenes/scene.h"

namespace strata::scenes {

// "a red circle on a blue background", "a red circle and a yellow star on a green background",
// "a red circle, a yellow star and a white cross on a gradient from red to yellow",
// "... on a green and white striped background". States kind, colour and background only.
std::string canonical_caption(const Scene& scene);

// One varied caption; deterministic in (scene, seed).
std::string caption(const Scene& scene, std::uint64_t seed);

// n captions of random scenes (default SceneOptions), deterministic in seed: text for the
// SentencePiece trainer, one caption per element.
std::vector<std::string> caption_corpus(int n, std::uint64_t seed);

}  // namespace strata::scenes
