// strata/diffusion/sampler_options.h — which sampler, which noise schedule, which convention.
//
// Torch-free value types for a GenerationRequest. The samplers themselves live in
// src/samplers/ (free functions over a denoise callback). Names are the CLI / metadata spellings:
// euler, euler_a, ddim, dpmpp_2m, lms, heun, ddpm, pndm, dpm_2 / normal, karras / diffusers, a1111.
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "strata/doc/sampling.h"

namespace strata::diffusion {

// The enums and their one name table live in strata/doc/sampling.h (io reads the same names from
// other tools' metadata); diffusion uses them under its own namespace.
using doc::Convention;
using doc::SamplerKind;
using doc::ScheduleKind;
using doc::parse_convention;
using doc::parse_sampler;
using doc::parse_schedule;
using doc::to_string;

// Empty when the combination can run; otherwise a sentence saying why not and what works instead
// (e.g. "ddim has no Karras schedule"). Plans for unsupported combinations throw InvalidArgument
// with this message.
std::string unsupported_reason(SamplerKind sampler, ScheduleKind schedule, Convention convention);

}  // namespace strata::diffusion
