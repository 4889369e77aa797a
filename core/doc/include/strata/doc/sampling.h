// strata/doc/sampling.h — the sampler, schedule and convention vocabulary shared by every layer:
// diffusion runs them, io reads and writes them in other tools' metadata, the CLI and the GUI offer
// them. One table each (below, defined in src/sampling.cpp); nothing else spells these names.
//
// The sampler and schedule tables also hold the names Strata does not run (A1111's DPM++ SDE,
// ComfyUI's uni_pc, …) so that images from those tools read back with canonical ids.
// Thread-safety: constant data and pure functions.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "strata/doc/names.h"

namespace strata::doc {

enum class SamplerKind {
  Euler,           // diffusers EulerDiscreteScheduler / k-diffusion sample_euler
  EulerAncestral,  // EulerAncestralDiscreteScheduler / sample_euler_ancestral
  DDIM,            // DDIMScheduler (diffusers convention only)
  DPMPP2M,         // DPMSolverMultistepScheduler (dpmsolver++, order 2) / sample_dpmpp_2m
  LMS,             // LMSDiscreteScheduler / sample_lms
  Heun,            // HeunDiscreteScheduler / sample_heun
  DDPM,            // DDPMScheduler (diffusers convention only)
  PNDM,            // PNDMScheduler with skip_prk_steps = PLMS (diffusers convention only)
  DPM2,            // k-diffusion sample_dpm_2 (a1111 convention only)
};

enum class ScheduleKind {
  Normal,  // the scheduler's own spacing (diffusers) / model.get_sigmas(n) (k-diffusion)
  Karras,  // Karras et al. (2022) σ ramp, ρ = 7
};

// Whose numbers a generation reproduces. Diffusers: diffusers v0.21.4 schedulers with the SD 1.5
// scheduler config and the diffusers img2img strength rule. KDiffusion: k-diffusion samplers over
// the CompVis σ table as AUTOMATIC1111 runs them (x_T·σ₀, A1111 img2img strength rule).
enum class Convention { Diffusers, KDiffusion };

// One sampler as the anchors spell it. `kind` is set when Strata runs it.
struct SamplerName {
  std::optional<SamplerKind> kind;
  std::string_view id;     // Strata's id (InvokeAI / diffusers style): "euler_a"
  std::string_view a1111;  // AUTOMATIC1111's display name, also the GUI's label: "Euler a"
  std::string_view comfy;  // ComfyUI's sampler_name: "euler_ancestral"
};

struct ScheduleName {
  std::optional<ScheduleKind> kind;
  std::string_view id;     // "karras"
  std::string_view a1111;  // "Karras"
};

// The tables, runnable rows first (in the order the GUI offers them).
std::span<const SamplerName> sampler_names();
std::span<const ScheduleName> schedule_names();
inline constexpr std::array<Named<Convention>, 4> kConventions{{
    {Convention::Diffusers, "diffusers", "diffusers"},
    {Convention::KDiffusion, "a1111", "A1111 (k-diffusion)"},
    {Convention::KDiffusion, "kdiffusion", "", false},
    {Convention::KDiffusion, "k-diffusion", "", false},
}};

std::string_view to_string(SamplerKind kind);     // "euler_a"
std::string_view to_string(ScheduleKind kind);    // "karras"
std::string_view to_string(Convention convention);  // "diffusers", "a1111"

// Parse Strata's ids (case-sensitive; "kdiffusion"/"k-diffusion" also name the a1111 convention).
// Throw Error(InvalidArgument) naming the value and listing the valid ids.
SamplerKind parse_sampler(std::string_view name);
ScheduleKind parse_schedule(std::string_view name);
Convention parse_convention(std::string_view name);

// The ids Strata runs, ", "-joined (for --help texts).
std::string runnable_sampler_ids();
std::string runnable_schedule_ids();

// Other tools' names ↔ Strata's ids, for every sampler and schedule any of them writes (A1111 names
// match exactly, then case-insensitively). ComfyUI names not in the table are ids already; a
// "_gpu" suffix (same method, noise drawn on the GPU) is dropped.
std::optional<std::string> sampler_id_from_a1111(std::string_view display_name);
std::optional<std::string> a1111_sampler_name(std::string_view sampler_id);
std::optional<std::string> schedule_id_from_a1111(std::string_view display_name);
std::optional<std::string> a1111_schedule_name(std::string_view schedule_id);
std::string sampler_id_from_comfy(std::string_view comfy_name);

}  // namespace strata::doc
