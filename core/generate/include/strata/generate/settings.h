// strata/generate/settings.h — what a user chooses for a generation, as typed values.
//
// GenerationSettings is the one description of "how to generate" shared by the CLI (`generate`,
// `--project`) and the canvas; build_request (request.h) turns it, with a document or images, into
// the pipeline's complete request. Every enum here has one name table (strata/doc/names.h), read
// for parsing, `--help` texts, the GUI's combo boxes and metadata; an unknown name is an error.
// Header-only and torch-free: the UI includes it without linking the diffusion core.
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "strata/diffusion/pipeline.h"
#include "strata/diffusion/sampler_options.h"
#include "strata/doc/names.h"
#include "strata/io/infill.h"
#include "strata/io/prompt_templates.h"

namespace strata::generate {

using diffusion::Convention;
using diffusion::Device;
using diffusion::kDevices;
using diffusion::kPrecisions;
using diffusion::Precision;
using diffusion::SamplerKind;
using diffusion::ScheduleKind;
using diffusion::VaeTiling;
using diffusion::kVaeTilings;
using io::InfillMethod;

// How live previews are drawn: the linear latent→RGB projection, the TAESD decoder, or none.
enum class PreviewMode { Linear, TAESD, Off };
inline constexpr std::array<doc::Named<PreviewMode>, 3> kPreviewModes{{
    {PreviewMode::Linear, "linear", "Linear (fast)"},
    {PreviewMode::TAESD, "taesd", "TAESD decoder"},
    {PreviewMode::Off, "off", "Off"},
}};

struct GenerationSettings {
  std::string prompt;                         // the user's text, before any template
  std::string negative_prompt;
  std::optional<io::PromptTemplate> style;    // applied by build_request, recorded in metadata
  std::int64_t seed = 42;                     // image i of the batch uses seed + i; ≥ 0
  int steps = 20;
  float cfg_scale = 7.5f;
  SamplerKind sampler = SamplerKind::Euler;
  ScheduleKind schedule = ScheduleKind::Normal;
  Convention convention = Convention::Diffusers;
  int clip_skip = 1;                          // A1111 meaning: 1 = last layer
  int batch_count = 1;
  int mask_blur = 4;                          // paste-back blur σ in pixels (0 = hard edge)
  InfillMethod infill = InfillMethod::Telea;  // how transparent pixels are pre-filled (outpainting)
  bool scale_before_processing = false;       // generate near the model's native size, resize back
  bool color_match = true;                    // match repainted colours to the original at the seam
  double strength = 1.0;                      // img2img strength for image inputs (a document
                                              // carries its strengths in its layers)
  // SDXL only (other families ignore them): size conditioning in pixels, 0 = the size generated
  // (crop 0 = the top-left corner); the refiner's aesthetic scores (diffusers' defaults).
  diffusion::SizeConditioning size_conditioning;
  double aesthetic_score = 6.0;
  double negative_aesthetic_score = 2.5;
  VaeTiling vae_tiling = VaeTiling::Auto;     // VAE encode/decode in tiles (large images)
};

// What a model is loaded with (the GUI's Settings, the CLI's --device/--precision/...).
struct EngineSettings {
  Device device = Device::CPU;
  Precision precision = Precision::FP32;
  int threads = 0;                            // 0 = all cores
  PreviewMode preview = PreviewMode::Linear;
  std::filesystem::path tokenizer;            // empty: found beside the model
  std::filesystem::path taesd_decoder;        // used when preview == TAESD
  // The model's prediction type when its file does not say (SD 2.x 768-v); unset: detected.
  std::optional<diffusion::Prediction> prediction;
};

}  // namespace strata::generate
