#include "samplers/schedule.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace strata::diffusion {

namespace {

std::vector<float> to_vector(const torch::Tensor& t) {
  auto c = t.to(torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

torch::Tensor to_tensor(const std::vector<float>& v) {
  return torch::from_blob(const_cast<float*>(v.data()), {static_cast<std::int64_t>(v.size())}, torch::kFloat32)
      .clone();
}

// Descending copy of an ascending vector (numpy's [::-1]).
template <typename T>
std::vector<T> reversed(std::vector<T> v) {
  std::reverse(v.begin(), v.end());
  return v;
}

// np.arange(0, n) * ratio (+ offset) as int64: the "leading" spacing, ascending.
std::vector<std::int64_t> leading_ascending(int count, std::int64_t ratio) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) out[static_cast<std::size_t>(k)] = k * ratio + kStepsOffset;
  return out;
}

// np.round(np.arange(1000, 0, -1000/n)) − 1: the "trailing" spacing, descending.
std::vector<std::int64_t> trailing_descending(int n) {
  std::vector<std::int64_t> out;
  for (double v : np_arange(kTrainTimesteps, 0, -static_cast<double>(kTrainTimesteps) / n)) {
    out.push_back(static_cast<std::int64_t>(np_round(v)) - 1);
  }
  return out;
}

// np.linspace(0, last, count).round() as int64, ascending.
std::vector<std::int64_t> linspace_rounded(double last, int count) {
  std::vector<std::int64_t> out;
  for (double v : np_linspace(0, last, count)) out.push_back(static_cast<std::int64_t>(np_round(v)));
  return out;
}

}  // namespace

const DiffusersTables& diffusers_tables() {
  static const DiffusersTables tables = [] {
    torch::NoGradGuard no_grad;
    // Ref: diffusers v0.21.4 scheduling_*.py __init__ (beta_schedule == "scaled_linear").
    auto betas = torch::linspace(std::pow(0.00085, 0.5), std::pow(0.012, 0.5), kTrainTimesteps, torch::kFloat32).pow(2);
    auto alphas = 1.0 - betas;
    auto ac = torch::cumprod(alphas, 0);
    auto sigmas = ((1 - ac) / ac).pow(0.5);
    auto alpha_t = torch::sqrt(ac);
    auto sigma_t = torch::sqrt(1 - ac);
    DiffusersTables t;
    t.alphas_cumprod = to_vector(ac);
    t.sigmas = to_vector(sigmas);
    t.log_sigmas = to_vector(sigmas.log());
    t.alpha_t = to_vector(alpha_t);
    t.sigma_t = to_vector(sigma_t);
    t.lambda_t = to_vector(torch::log(alpha_t) - torch::log(sigma_t));
    return t;
  }();
  return tables;
}

const KDiffusionTables& kdiffusion_tables() {
  static const KDiffusionTables tables = [] {
    torch::NoGradGuard no_grad;
    // Ref: CompVis ldm/modules/diffusionmodules/util.py make_beta_schedule("linear") and
    //      ddpm.py register_schedule (np.cumprod in float64, buffers float32);
    //      k-diffusion external.py DiscreteEpsDDPMDenoiser.__init__.
    auto betas = torch::linspace(std::pow(0.00085, 0.5), std::pow(0.012, 0.5), kTrainTimesteps, torch::kFloat64).pow(2);
    auto ac = torch::cumprod(1.0 - betas, 0).to(torch::kFloat32);
    auto sigmas = ((1 - ac) / ac).pow(0.5);
    KDiffusionTables t;
    t.alphas_cumprod = to_vector(ac);
    t.sigmas = to_vector(sigmas);
    t.log_sigmas = to_vector(sigmas.log());
    return t;
  }();
  return tables;
}

// ---- numpy ------------------------------------------------------------------------------------

std::vector<double> np_linspace(double start, double stop, int num) {
  std::vector<double> y(static_cast<std::size_t>(std::max(num, 0)));
  const int div = num - 1;
  const double delta = stop - start;
  const double step = div > 0 ? delta / div : 0.0;
  for (int k = 0; k < num; ++k) {
    y[static_cast<std::size_t>(k)] = (div > 0 ? k * step : k * delta) + start;
  }
  if (num > 1) y.back() = stop;
  return y;
}

std::vector<double> np_arange(double start, double stop, double step) {
  const double len = std::ceil((stop - start) / step);
  std::vector<double> y;
  if (!(len > 0)) return y;
  const auto n = static_cast<std::size_t>(len);
  y.resize(n);
  y[0] = start;
  if (n == 1) return y;
  y[1] = start + step;
  const double delta = y[1] - y[0];  // numpy's fill() re-derives the step from the first two values
  for (std::size_t i = 2; i < n; ++i) y[i] = start + static_cast<double>(i) * delta;
  return y;
}

double np_interp(double x, const std::vector<float>& fp) {
  const auto n = static_cast<std::int64_t>(fp.size());
  if (x <= 0) return fp.front();
  if (x >= static_cast<double>(n - 1)) return fp.back();
  const auto j = static_cast<std::int64_t>(std::floor(x));
  const double yj = fp[static_cast<std::size_t>(j)];
  if (x == static_cast<double>(j)) return yj;
  const double slope = static_cast<double>(fp[static_cast<std::size_t>(j + 1)]) - yj;  // Δy / Δx, Δx = 1
  return slope * (x - static_cast<double>(j)) + yj;
}

double np_round(double x) { return std::nearbyint(x); }

// ---- diffusers timesteps ----------------------------------------------------------------------

std::vector<std::int64_t> ddim_timesteps(TimestepSpacing spacing, int n) {
  // Ref: scheduling_ddim.py / scheduling_ddpm.py set_timesteps.
  switch (spacing) {
    case TimestepSpacing::Linspace: return reversed(linspace_rounded(kTrainTimesteps - 1, n));
    case TimestepSpacing::Leading: return reversed(leading_ascending(n, kTrainTimesteps / n));
    case TimestepSpacing::Trailing: return trailing_descending(n);
  }
  return {};
}

std::vector<std::int64_t> pndm_timesteps(TimestepSpacing spacing, int n) {
  // Ref: scheduling_pndm.py set_timesteps with skip_prk_steps: plms_timesteps =
  //      concat([ts[:-1], ts[-2:-1], ts[-1:]])[::-1] over the ascending ts.
  std::vector<std::int64_t> ts;
  switch (spacing) {
    case TimestepSpacing::Linspace: ts = linspace_rounded(kTrainTimesteps - 1, n); break;
    case TimestepSpacing::Leading: ts = leading_ascending(n, kTrainTimesteps / n); break;
    case TimestepSpacing::Trailing: ts = reversed(trailing_descending(n)); break;
  }
  std::vector<std::int64_t> plms(ts.begin(), ts.end() - 1);
  if (ts.size() >= 2) plms.push_back(ts[ts.size() - 2]);
  plms.push_back(ts.back());
  return reversed(plms);
}

std::vector<std::int64_t> dpm_timesteps(TimestepSpacing spacing, int n, bool karras) {
  // Ref: scheduling_dpmsolver_multistep.py set_timesteps (lambda_min_clipped = -inf, so the last
  //      timestep is 1000).
  std::vector<std::int64_t> ts;
  if (karras) {
    const auto& t = diffusers_tables();
    for (double s : karras_convert(t.sigmas.front(), t.sigmas.back(), n)) {
      ts.push_back(static_cast<std::int64_t>(np_round(diffusers_sigma_to_t(s))));
    }
    ts = reversed(ts);
  } else {
    switch (spacing) {
      case TimestepSpacing::Linspace: {
        auto all = reversed(linspace_rounded(kTrainTimesteps - 1, n + 1));
        ts.assign(all.begin(), all.end() - 1);
        break;
      }
      case TimestepSpacing::Leading: {
        auto all = reversed(leading_ascending(n + 1, kTrainTimesteps / (n + 1)));
        ts.assign(all.begin(), all.end() - 1);
        break;
      }
      case TimestepSpacing::Trailing: ts = trailing_descending(n); break;
    }
  }
  // np.unique(return_index) + sort: keep the first occurrence of each value, in order.
  std::vector<std::int64_t> unique;
  std::set<std::int64_t> seen;
  for (auto v : ts) {
    if (seen.insert(v).second) unique.push_back(v);
  }
  return unique;
}

SigmaSchedule euler_family_schedule(TimestepSpacing spacing, int n, bool karras) {
  // Ref: scheduling_euler_discrete.py set_timesteps (interpolation_type "linear"); LMS, Heun and
  //      Euler a share it. Timesteps are float32 values; σ = np.interp(t, arange(1000), σ_train).
  const auto& tables = diffusers_tables();
  SigmaSchedule s;
  switch (spacing) {
    case TimestepSpacing::Linspace:
      for (double v : reversed(np_linspace(0, kTrainTimesteps - 1, n))) s.timesteps.push_back(static_cast<float>(v));
      break;
    case TimestepSpacing::Leading:
      for (auto v : reversed(leading_ascending(n, kTrainTimesteps / n))) s.timesteps.push_back(static_cast<double>(v));
      break;
    case TimestepSpacing::Trailing:
      for (auto v : trailing_descending(n)) s.timesteps.push_back(static_cast<double>(v));
      break;
  }
  std::vector<double> sigmas;
  for (double t : s.timesteps) sigmas.push_back(np_interp(t, tables.sigmas));
  if (karras) {
    sigmas = karras_convert(sigmas.front(), sigmas.back(), n);
    s.timesteps.clear();
    for (double sigma : sigmas) s.timesteps.push_back(diffusers_sigma_to_t(sigma));
  }
  for (double sigma : sigmas) s.sigmas.push_back(static_cast<float>(sigma));
  s.sigmas.push_back(0.0);
  return s;
}

std::vector<double> karras_convert(double in_first, double in_last, int n) {
  const double rho = 7.0;
  const double min_inv_rho = std::pow(in_last, 1.0 / rho);
  const double max_inv_rho = std::pow(in_first, 1.0 / rho);
  std::vector<double> out;
  for (double r : np_linspace(0, 1, n)) out.push_back(std::pow(max_inv_rho + r * (min_inv_rho - max_inv_rho), rho));
  return out;
}

double diffusers_sigma_to_t(double sigma) {
  // numpy promotes the float64 log σ to the float32 array's dtype (value-based casting): the
  // comparison and the weight are float32, the final blend float64.
  const auto& ls = diffusers_tables().log_sigmas;
  const auto log_sigma = static_cast<float>(std::log(sigma));
  const auto count = std::upper_bound(ls.begin(), ls.end(), log_sigma) - ls.begin();  // entries ≤ log σ
  const std::int64_t low = std::clamp<std::int64_t>(count - 1, 0, kTrainTimesteps - 2);
  const std::int64_t high = low + 1;
  const float lo = ls[static_cast<std::size_t>(low)];
  const float hi = ls[static_cast<std::size_t>(high)];
  float w = (lo - log_sigma) / (lo - hi);
  w = std::clamp(w, 0.0f, 1.0f);
  const float one_minus_w = 1.0f - w;
  return static_cast<double>(one_minus_w) * static_cast<double>(low) + static_cast<double>(w) * static_cast<double>(high);
}

// ---- k-diffusion -------------------------------------------------------------------------------

std::vector<float> kdiffusion_sigmas(ScheduleKind schedule, int n) {
  torch::NoGradGuard no_grad;
  const auto& tables = kdiffusion_tables();
  torch::Tensor sigmas;
  if (schedule == ScheduleKind::Normal) {
    // Ref: k-diffusion external.py DiscreteSchedule.get_sigmas / t_to_sigma.
    auto t = torch::linspace(kTrainTimesteps - 1, 0, n, torch::kFloat32);
    auto low = t.floor().to(torch::kLong);
    auto high = t.ceil().to(torch::kLong);
    auto w = t.frac();
    auto log_sigmas = to_tensor(tables.log_sigmas);
    sigmas = ((1 - w) * log_sigmas.index({low}) + w * log_sigmas.index({high})).exp();
  } else {
    // Ref: k-diffusion sampling.py get_sigmas_karras with A1111's σ_min = sigmas[0], σ_max = sigmas[-1].
    const double rho = 7.0;
    const double min_inv_rho = std::pow(static_cast<double>(tables.sigmas.front()), 1.0 / rho);
    const double max_inv_rho = std::pow(static_cast<double>(tables.sigmas.back()), 1.0 / rho);
    auto ramp = torch::linspace(0, 1, n, torch::kFloat32);
    sigmas = (ramp * (min_inv_rho - max_inv_rho) + max_inv_rho).pow(rho);
  }
  auto out = to_vector(sigmas);
  out.push_back(0.0f);
  return out;
}

std::vector<float> kdiffusion_sigma_to_t(const std::vector<float>& sigmas) {
  // Ref: k-diffusion external.py DiscreteSchedule.sigma_to_t (quantize=False).
  torch::NoGradGuard no_grad;
  if (sigmas.empty()) return {};
  const auto& tables = kdiffusion_tables();
  auto log_sigmas = to_tensor(tables.log_sigmas);
  auto log_sigma = to_tensor(sigmas).log();
  auto dists = log_sigma - log_sigmas.unsqueeze(1);
  auto low_idx = dists.ge(0).cumsum(0).argmax(0).clamp_max(kTrainTimesteps - 2);
  auto high_idx = low_idx + 1;
  auto low = log_sigmas.index({low_idx});
  auto high = log_sigmas.index({high_idx});
  auto w = ((low - log_sigma) / (low - high)).clamp(0, 1);
  auto t = (1 - w) * low_idx + w * high_idx;
  return to_vector(t);
}

}  // namespace strata::diffusion
