// strata/io/default_model.h — where the embedded default model is: the small latent diffusion
// model Strata trains itself (models/strata-shapes, docs in its README.md), used when no model is
// chosen, so a fresh install generates with no download.
//
// Candidates, in order (the first that exists wins):
//   1. $STRATA_DEFAULT_MODEL, when set (a .safetensors file or a diffusers folder);
//   2. <executable's folder>/../share/strata/models/strata-shapes/strata-shapes.safetensors
//      (installed: `cmake --install`, the .deb);
//   3. <source tree>/models/strata-shapes/strata-shapes.safetensors (running from a build tree).
// Thread-safety: reentrant. No errors: a missing model is an empty optional.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata::io {

inline constexpr const char* kDefaultModelName = "strata-shapes";

std::vector<std::filesystem::path> default_model_candidates();
std::optional<std::filesystem::path> find_default_model();
// One line naming where the default model was looked for, for "no model" messages.
std::string default_model_search_description();

}  // namespace strata::io
