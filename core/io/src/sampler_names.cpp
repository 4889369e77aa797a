// Sampler and schedule names: AUTOMATIC1111 display names <-> Strata ids.
// Ref: A1111 modules/sd_samplers_kdiffusion.py, sd_samplers_timesteps.py, sd_schedulers.py
// (display names); Strata ids follow InvokeAI / diffusers scheduler names.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "strata/io/generation_info.h"

namespace strata::io {

namespace {

struct NamePair {
  std::string_view display;
  std::string_view id;
};

constexpr std::array kSamplers{
    NamePair{"Euler a", "euler_a"},
    NamePair{"Euler", "euler"},
    NamePair{"LMS", "lms"},
    NamePair{"Heun", "heun"},
    NamePair{"DPM2", "dpm_2"},
    NamePair{"DPM2 a", "dpm_2_a"},
    NamePair{"DPM++ 2S a", "dpmpp_2s_a"},
    NamePair{"DPM++ 2M", "dpmpp_2m"},
    NamePair{"DPM++ SDE", "dpmpp_sde"},
    NamePair{"DPM++ 2M SDE", "dpmpp_2m_sde"},
    NamePair{"DPM++ 2M SDE Heun", "dpmpp_2m_sde_heun"},
    NamePair{"DPM++ 3M SDE", "dpmpp_3m_sde"},
    NamePair{"DPM fast", "dpm_fast"},
    NamePair{"DPM adaptive", "dpm_adaptive"},
    NamePair{"Restart", "restart"},
    NamePair{"DDIM", "ddim"},
    NamePair{"DDIM CFG++", "ddim_cfgpp"},
    NamePair{"DDPM", "ddpm"},
    NamePair{"PLMS", "pndm"},
    NamePair{"UniPC", "unipc"},
    NamePair{"LCM", "lcm"},
};

constexpr std::array kSchedules{
    NamePair{"Uniform", "uniform"},
    NamePair{"Karras", "karras"},
    NamePair{"Exponential", "exponential"},
    NamePair{"Polyexponential", "polyexponential"},
    NamePair{"SGM Uniform", "sgm_uniform"},
    NamePair{"KL Optimal", "kl_optimal"},
    NamePair{"Align Your Steps", "align_your_steps"},
    NamePair{"Simple", "simple"},
    NamePair{"Normal", "normal"},
    NamePair{"DDIM", "ddim"},
    NamePair{"Beta", "beta"},
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

template <std::size_t N>
std::optional<std::string> find_id(const std::array<NamePair, N>& table, std::string_view display) {
  for (const auto& p : table) {
    if (p.display == display) return std::string(p.id);
  }
  for (const auto& p : table) {
    if (iequals(p.display, display)) return std::string(p.id);
  }
  return std::nullopt;
}

template <std::size_t N>
std::optional<std::string> find_display(const std::array<NamePair, N>& table, std::string_view id) {
  for (const auto& p : table) {
    if (p.id == id) return std::string(p.display);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> sampler_id_from_a1111(std::string_view display_name) { return find_id(kSamplers, display_name); }
std::optional<std::string> a1111_sampler_name(std::string_view sampler_id) { return find_display(kSamplers, sampler_id); }
std::optional<std::string> schedule_id_from_a1111(std::string_view display_name) { return find_id(kSchedules, display_name); }
std::optional<std::string> a1111_schedule_name(std::string_view schedule_id) { return find_display(kSchedules, schedule_id); }

}  // namespace strata::io
