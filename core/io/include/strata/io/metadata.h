// strata/io/metadata.h — recognising generation metadata written by Strata and other tools.
//
// Recognised, in this order of preference when an image carries several:
//   `strata`             Strata's JSON (generation_info.h)                     -> generator "Strata ..."
//   `invokeai_metadata`  InvokeAI 3+ core metadata JSON                         -> "InvokeAI ..."
//   `sd-metadata`        InvokeAI 2.x JSON                                      -> "InvokeAI ..."
//   `parameters`         AUTOMATIC1111 text (also Forge, Krita AI, sd.cpp...);
//                        Fooocus JSON when `fooocus_scheme` is "fooocus"       -> "AUTOMATIC1111 ..."/"Fooocus"
//                        (with a ComfyUI graph beside it: "ComfyUI (A1111-style parameters)")
//   `prompt`             ComfyUI API graph: the KSampler-like node and the
//                        CLIPTextEncode nodes feeding it                        -> "ComfyUI"
//   `workflow`           ComfyUI UI graph (when `prompt` is absent)             -> "ComfyUI"
// A chunk that is present but unusable (bad JSON, no sampler node) is skipped, and the next
// source is tried; nothing throws for bad metadata.
//
// Thread-safety: reentrant. Errors: only reading the file throws (see png_text.h).
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "strata/io/generation_info.h"
#include "strata/io/png_text.h"

namespace strata::io {

// Reads the image's text metadata (read_image_text) and interprets it. nullopt when there is none.
std::optional<GenerationInfo> read_generation_metadata(const std::filesystem::path& path);

std::optional<GenerationInfo> extract_generation_metadata(const std::vector<TextChunk>& chunks);

// The individual readers, for tests and tools. Each returns nullopt when the text is unusable.
std::optional<GenerationInfo> parse_invokeai_metadata(std::string_view json);
std::optional<GenerationInfo> parse_invokeai_legacy_metadata(std::string_view json);  // sd-metadata
std::optional<GenerationInfo> parse_comfyui_prompt(std::string_view api_json);
std::optional<GenerationInfo> parse_comfyui_workflow(std::string_view workflow_json);
std::optional<GenerationInfo> parse_fooocus_parameters(std::string_view json);

// The chunks Strata writes into a generated PNG: "parameters" (A1111 text, for other tools) and
// "strata" (JSON, lossless).
std::vector<TextChunk> make_generation_text_chunks(const GenerationInfo& info);

}  // namespace strata::io
