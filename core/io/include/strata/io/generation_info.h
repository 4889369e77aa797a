// strata/io/generation_info.h — the settings an image was generated with, and their text forms.
//
// GenerationInfo is a plain value. Two text forms:
//  * AUTOMATIC1111's `parameters` text (format_a1111_parameters / parse_a1111_parameters), which
//    most tools read and write;
//  * Strata's own `strata` chunk: JSON (to_json / from_json), lossless. Schema, version 1:
//      { "schema": "strata.generation", "version": 1, "generator": "Strata 0.1.0",
//        "prompt": "...", "negative_prompt": "...", "steps": 20, "sampler": "euler_a",
//        "schedule": "karras", "cfg_scale": 7.5, "seed": 42, "width": 512, "height": 512,
//        "model": {"name": "...", "hash": "...", "family": "SDXL", "prediction": "v"},
//        "clip_skip": 2, "strength": 0.75, "steps_run": 15, "start_sigma": 7.1,
//        "batch": {"size": 4, "index": 1},
//        "size_conditioning": {"original": {"width": 1024, "height": 1024},
//                              "crop": {"left": 0, "top": 0}, "target": {"width": 1024, "height": 1024}},
//        "aesthetic_score": 6, "negative_aesthetic_score": 2.5,
//        "extra": [["Mask blur", "4"], ...] }
//    Absent members mean "not recorded"; unknown members are ignored; "extra" keeps order. The
//    model family, prediction, size conditioning and aesthetic scores came after the first
//    release of version 1; older readers ignore them, older files simply lack them.
//
// SDXL conditioning fields are typed members (not `extra` keys) because Strata reads them back into
// settings and other tools' formats (ComfyUI's CLIPTextEncodeSDXL, InvokeAI's refiner scores) map
// onto them. In the A1111 text they are Strata's own keys, since A1111/Forge write none:
//   "Model family: SDXL, Prediction: v, Original size: 1024x1024, Crop top-left: 0x0,
//    Target size: 1024x1024, Aesthetic score: 6, Negative aesthetic score: 2.5"
// (crop as LEFTxTOP in pixels, x first like WxH; diffusers' crops_coords_top_left is (top, left)).
//
// Sampler names: Strata ids (euler_a, euler, dpmpp_2m, ddim, lms, heun, ddpm, pndm, ...) are what
// GenerationInfo::sampler holds when the tool's name is known; an unknown name is kept verbatim.
// Schedules likewise: "karras", "exponential", ... ("" = the sampler's default).
//
// Thread-safety: all functions are reentrant. Errors: from_json throws doc::Error(CorruptFile)
// naming `source_name` for malformed JSON or members of the wrong type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strata/doc/sampling.h"

namespace strata::io {

struct PixelSize {
  int width = 0;
  int height = 0;
  bool operator==(const PixelSize&) const = default;
};
struct PixelOffset {
  int left = 0;
  int top = 0;
  bool operator==(const PixelOffset&) const = default;
};

struct GenerationInfo {
  std::string generator;        // the tool that wrote it, e.g. "AUTOMATIC1111 v1.10.1", "ComfyUI"
  std::string prompt;
  std::string negative_prompt;
  std::optional<int> steps;
  std::string sampler;          // Strata id when known ("euler_a"), else the tool's own name
  std::string schedule;         // "karras", "exponential", ...; "" when not recorded
  std::optional<double> cfg_scale;
  std::optional<std::uint64_t> seed;
  std::optional<int> width;
  std::optional<int> height;
  std::string model_name;
  std::string model_hash;
  std::optional<int> clip_skip;
  std::optional<double> strength;     // denoising strength in [0, 1]
  std::optional<int> steps_run;       // denoising steps actually run (img2img runs fewer)
  std::optional<double> start_sigma;  // sigma of the first step run
  std::optional<int> batch_size;
  std::optional<int> batch_index;     // 0-based position in the batch
  // Model family: "SD1", "SD2", "SDXL" (other tools' names for these are mapped; families Strata
  // does not know, e.g. InvokeAI's "flux", are kept verbatim). "" = not recorded.
  std::string model_family;
  std::string prediction;             // "epsilon" or "v" (the type used); "" = not recorded
  // SDXL size conditioning as used (defaults resolved), and the refiner's aesthetic scores.
  std::optional<PixelSize> original_size;
  std::optional<PixelOffset> crop_top_left;
  std::optional<PixelSize> target_size;
  std::optional<double> aesthetic_score;
  std::optional<double> negative_aesthetic_score;
  std::vector<std::pair<std::string, std::string>> extra;  // everything else, in order

  bool operator==(const GenerationInfo&) const = default;
  // Value of an extra key, or nullptr.
  const std::string* find_extra(std::string_view key) const;
};

// A1111 `parameters` text: "<prompt>\nNegative prompt: <neg>\nSteps: 20, Sampler: Euler a, ...".
// Values containing ',', ':' or a newline (or starting with '"') are JSON-quoted, as A1111 does.
// Extra entries whose key is not an A1111 key (a word character, then word characters, spaces,
// '-' or '/') are left out, since they would not parse back; the `strata` chunk keeps them.
std::string format_a1111_parameters(const GenerationInfo& info);

// Parses A1111 `parameters` text the way A1111 does: the last line holds the parameters when it
// has at least three "Key: value" pairs; lines from "Negative prompt:" on are the negative prompt.
// Never throws: unparsable numbers are kept in `extra` under their own key. `generator` is set
// from a "Version" entry when present ("AUTOMATIC1111 v1.10.1", "Forge f2.0.1..."), else
// "AUTOMATIC1111-compatible".
GenerationInfo parse_a1111_parameters(std::string_view text);

// Family and prediction names as GenerationInfo holds them: "sd-1"/"sd1"/"SD 1.5" -> "SD1",
// "sdxl"/"sdxl-refiner"/"SDXL 1.0" -> "SDXL", ...; "eps"/"epsilon" -> "epsilon",
// "v"/"v_prediction"/"v-prediction" -> "v". Unknown names come back trimmed but otherwise unchanged.
std::string normalise_model_family(std::string_view name);
std::string normalise_prediction(std::string_view name);

// Strata JSON chunk (schema above).
std::string to_json(const GenerationInfo& info);
GenerationInfo from_json(std::string_view json, std::string_view source_name = "strata metadata");

// Sampler and schedule names (the one table is strata/doc/sampling.h): "Euler a" <-> "euler_a",
// "Karras" <-> "karras"; the *_from_* functions return nullopt for names they do not know.
using doc::a1111_sampler_name;
using doc::a1111_schedule_name;
using doc::sampler_id_from_a1111;
using doc::schedule_id_from_a1111;

}  // namespace strata::io
