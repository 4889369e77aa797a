// Names and supported combinations of samplers, schedules and conventions.
#include "strata/diffusion/sampler_options.h"

#include <array>
#include <string>
#include <utility>

#include "strata/doc/error.h"

namespace strata::diffusion {

namespace {

constexpr std::array<std::pair<SamplerKind, std::string_view>, 9> kSamplerNames{{
    {SamplerKind::Euler, "euler"},
    {SamplerKind::EulerAncestral, "euler_a"},
    {SamplerKind::DDIM, "ddim"},
    {SamplerKind::DPMPP2M, "dpmpp_2m"},
    {SamplerKind::LMS, "lms"},
    {SamplerKind::Heun, "heun"},
    {SamplerKind::DDPM, "ddpm"},
    {SamplerKind::PNDM, "pndm"},
    {SamplerKind::DPM2, "dpm_2"},
}};

template <typename Table>
std::string joined_names(const Table& table) {
  std::string s;
  for (const auto& [kind, name] : table) {
    if (!s.empty()) s += ", ";
    s += name;
  }
  return s;
}

[[noreturn]] void unknown(std::string_view what, std::string_view name, const std::string& valid) {
  throw doc::Error(doc::ErrorCode::InvalidArgument,
                   "unknown " + std::string(what) + " '" + std::string(name) + "'; expected one of: " + valid);
}

}  // namespace

std::string_view to_string(SamplerKind kind) {
  for (const auto& [k, name] : kSamplerNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::string_view to_string(ScheduleKind kind) { return kind == ScheduleKind::Karras ? "karras" : "normal"; }

std::string_view to_string(Convention convention) {
  return convention == Convention::KDiffusion ? "a1111" : "diffusers";
}

SamplerKind parse_sampler(std::string_view name) {
  for (const auto& [kind, n] : kSamplerNames) {
    if (n == name) return kind;
  }
  unknown("sampler", name, joined_names(kSamplerNames));
}

ScheduleKind parse_schedule(std::string_view name) {
  if (name == "normal") return ScheduleKind::Normal;
  if (name == "karras") return ScheduleKind::Karras;
  unknown("schedule", name, "normal, karras");
}

Convention parse_convention(std::string_view name) {
  if (name == "diffusers") return Convention::Diffusers;
  if (name == "a1111" || name == "kdiffusion" || name == "k-diffusion") return Convention::KDiffusion;
  unknown("convention", name, "diffusers, a1111");
}

std::string unsupported_reason(SamplerKind sampler, ScheduleKind schedule, Convention convention) {
  const std::string name(to_string(sampler));
  const bool alpha_only = sampler == SamplerKind::DDIM || sampler == SamplerKind::DDPM || sampler == SamplerKind::PNDM;
  if (convention == Convention::KDiffusion && alpha_only) {
    return name + " is a diffusers scheduler: use the diffusers convention (the a1111 convention has euler, "
                  "euler_a, heun, dpm_2, lms, dpmpp_2m)";
  }
  if (convention == Convention::Diffusers && sampler == SamplerKind::DPM2) {
    return "dpm_2 is a k-diffusion sampler: use the a1111 convention";
  }
  if (schedule == ScheduleKind::Karras && alpha_only) {
    return name + " has no Karras schedule: use the normal schedule (Karras works with euler, euler_a, heun, "
                  "lms, dpmpp_2m, dpm_2)";
  }
  return {};
}

}  // namespace strata::diffusion
