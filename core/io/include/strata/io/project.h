// strata/io/project.h — Strata projects: a doc::Document plus the generation settings, saved as an
// OpenRaster file (openraster.h) that GIMP, Krita and MyPaint open.
//
// Mapping (all in the .ora, nothing beside it):
//   * The ORA canvas is the union of every layer's content and the bbox; its top-left corner in
//     document coordinates is stored as "origin", so negative coordinates round-trip exactly.
//   * Raster layers → ORA layers (top first), RGBA cropped to their content, with name, x, y,
//     opacity, visibility, edit-locked, and strata:id, strata:kind="raster", strata:strength,
//     strata:offset-x/-y (the layer's own offset, Layer::x/y).
//   * Inpaint-mask layers → ORA layers too, so other programs show them: a tint colour with alpha =
//     coverage, ORA opacity 0.5 (display only), plus strata:kind="mask", strata:feather,
//     strata:inverted. Strata reads the coverage back from the alpha channel exactly.
//   * mergedimage.png = the visible raster layers (masks excluded), composited.
//   * strata/project.json: { "schema": "strata.project", "version": 1, "origin": [x, y],
//     "bbox": [x, y, w, h], "settings": <GenerationInfo JSON>, "template": "<name>",
//     "staging": [ {"image": "strata/staging/0.png", "info": <GenerationInfo JSON>}, ... ],
//     "layer_generation": { "<strata:id>": <GenerationInfo JSON>, ... } }
//     and one PNG per staged result under strata/staging/.
//   * layer_generation: what an accepted result was generated with, by layer id (strata:id); saving
//     drops records of layers the document no longer has, loading ignores ids it has no layer for
//     (and files without the key load with none).
//   * A plain .ora from another program (no strata/project.json) loads as raster layers with the
//     default strength; its canvas becomes the bbox when that is a valid bbox (multiples of 8,
//     64…8192), else the bbox is the default size at the origin.
//
// Saving is atomic (temporary file, fsync, rename): the old file survives any failure. Loading
// validates everything before returning and changes nothing on failure.
// Errors: doc::Error from openraster.h (NotFound, IoError, CorruptFile naming file and entry,
// TooLarge), CorruptFile for a project.json that does not match the layers.
// Thread-safety: reentrant, any thread; the Project is a value (its Document a cheap snapshot).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "strata/doc/document.h"
#include "strata/io/generation_info.h"
#include "strata/io/openraster.h"

namespace strata::io {

struct StagedImage {
  doc::Image8 image;    // RGB or RGBA, bbox-sized as generated
  GenerationInfo info;  // the parameters it was generated with
};

struct Project {
  doc::Document document;
  GenerationInfo settings;        // prompt, negative prompt, seed, steps, cfg, sampler, …
  std::string template_name;      // the prompt template picked ("" = none)
  std::vector<StagedImage> staging;  // results not yet accepted into the document
  std::map<std::uint32_t, GenerationInfo> layer_generation;  // accepted results' parameters, by layer id
};

void save_project(const std::filesystem::path& path, const Project& project);
Project load_project(const std::filesystem::path& path, const ReadLimits& limits = {});

// The mapping alone (no file), for tests and autosave.
OraStack to_ora(const Project& project);
Project from_ora(const OraStack& stack, const std::string& name);

}  // namespace strata::io
