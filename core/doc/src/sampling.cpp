// The sampler and schedule tables. Ref: A1111 modules/sd_samplers_kdiffusion.py,
// sd_samplers_timesteps.py, sd_schedulers.py (display names); ComfyUI comfy/samplers.py
// (KSAMPLER_NAMES); Strata's ids follow InvokeAI / diffusers scheduler names.
#include "strata/doc/sampling.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace strata::doc {

namespace {

using K = SamplerKind;

constexpr std::array<SamplerName, 21> kSamplers{{
    {K::Euler, "euler", "Euler", "euler"},
    {K::EulerAncestral, "euler_a", "Euler a", "euler_ancestral"},
    {K::DPMPP2M, "dpmpp_2m", "DPM++ 2M", "dpmpp_2m"},
    {K::DDIM, "ddim", "DDIM", "ddim"},
    {K::LMS, "lms", "LMS", "lms"},
    {K::Heun, "heun", "Heun", "heun"},
    {K::DDPM, "ddpm", "DDPM", "ddpm"},
    {K::PNDM, "pndm", "PLMS", "pndm"},
    {K::DPM2, "dpm_2", "DPM2", "dpm_2"},
    {std::nullopt, "dpm_2_a", "DPM2 a", "dpm_2_ancestral"},
    {std::nullopt, "dpmpp_2s_a", "DPM++ 2S a", "dpmpp_2s_ancestral"},
    {std::nullopt, "dpmpp_sde", "DPM++ SDE", "dpmpp_sde"},
    {std::nullopt, "dpmpp_2m_sde", "DPM++ 2M SDE", "dpmpp_2m_sde"},
    {std::nullopt, "dpmpp_2m_sde_heun", "DPM++ 2M SDE Heun", "dpmpp_2m_sde_heun"},
    {std::nullopt, "dpmpp_3m_sde", "DPM++ 3M SDE", "dpmpp_3m_sde"},
    {std::nullopt, "dpm_fast", "DPM fast", "dpm_fast"},
    {std::nullopt, "dpm_adaptive", "DPM adaptive", "dpm_adaptive"},
    {std::nullopt, "restart", "Restart", "restart"},
    {std::nullopt, "ddim_cfgpp", "DDIM CFG++", "ddim_cfgpp"},
    {std::nullopt, "unipc", "UniPC", "uni_pc"},
    {std::nullopt, "lcm", "LCM", "lcm"},
}};

constexpr std::array<ScheduleName, 11> kSchedules{{
    {ScheduleKind::Normal, "normal", "Normal"},
    {ScheduleKind::Karras, "karras", "Karras"},
    {std::nullopt, "uniform", "Uniform"},
    {std::nullopt, "exponential", "Exponential"},
    {std::nullopt, "polyexponential", "Polyexponential"},
    {std::nullopt, "sgm_uniform", "SGM Uniform"},
    {std::nullopt, "kl_optimal", "KL Optimal"},
    {std::nullopt, "align_your_steps", "Align Your Steps"},
    {std::nullopt, "simple", "Simple"},
    {std::nullopt, "ddim", "DDIM"},
    {std::nullopt, "beta", "Beta"},
}};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

template <typename Table, typename Kind>
std::string_view id_of_kind(const Table& table, Kind kind) {
  for (const auto& row : table) {
    if (row.kind == kind) return row.id;
  }
  return "unknown";
}

template <typename Table>
std::string runnable_ids(const Table& table) {
  std::string s;
  for (const auto& row : table) {
    if (!row.kind) continue;
    if (!s.empty()) s += ", ";
    s += row.id;
  }
  return s;
}

template <typename Table>
auto parse_runnable(const Table& table, std::string_view name, std::string_view what) {
  for (const auto& row : table) {
    if (row.kind && row.id == name) return *row.kind;
  }
  throw Error(ErrorCode::InvalidArgument, "unknown " + std::string(what) + " '" + std::string(name) +
                                              "'; expected one of: " + runnable_ids(table));
}

template <typename Table>
std::optional<std::string> id_from_a1111(const Table& table, std::string_view display) {
  for (const auto& row : table) {
    if (row.a1111 == display) return std::string(row.id);
  }
  for (const auto& row : table) {
    if (iequals(row.a1111, display)) return std::string(row.id);
  }
  return std::nullopt;
}

template <typename Table>
std::optional<std::string> a1111_of(const Table& table, std::string_view id) {
  for (const auto& row : table) {
    if (row.id == id) return std::string(row.a1111);
  }
  return std::nullopt;
}

}  // namespace

std::span<const SamplerName> sampler_names() { return kSamplers; }
std::span<const ScheduleName> schedule_names() { return kSchedules; }

std::string_view to_string(SamplerKind kind) { return id_of_kind(kSamplers, kind); }
std::string_view to_string(ScheduleKind kind) { return id_of_kind(kSchedules, kind); }
std::string_view to_string(Convention convention) { return id_of(kConventions, convention); }

SamplerKind parse_sampler(std::string_view name) { return parse_runnable(kSamplers, name, "sampler"); }
ScheduleKind parse_schedule(std::string_view name) { return parse_runnable(kSchedules, name, "schedule"); }
Convention parse_convention(std::string_view name) { return parse_named(kConventions, name, "convention"); }

std::string runnable_sampler_ids() { return runnable_ids(kSamplers); }
std::string runnable_schedule_ids() { return runnable_ids(kSchedules); }

std::optional<std::string> sampler_id_from_a1111(std::string_view display_name) { return id_from_a1111(kSamplers, display_name); }
std::optional<std::string> a1111_sampler_name(std::string_view sampler_id) { return a1111_of(kSamplers, sampler_id); }
std::optional<std::string> schedule_id_from_a1111(std::string_view display_name) { return id_from_a1111(kSchedules, display_name); }
std::optional<std::string> a1111_schedule_name(std::string_view schedule_id) { return a1111_of(kSchedules, schedule_id); }

std::string sampler_id_from_comfy(std::string_view comfy_name) {
  std::string_view n = comfy_name;
  if (n.ends_with("_gpu")) n.remove_suffix(4);
  for (const auto& row : kSamplers) {
    if (row.comfy == n) return std::string(row.id);
  }
  return std::string(n);
}

}  // namespace strata::doc
