// Plans: the full schedule of a (sampler, schedule, convention, N) and the run a strength selects.
// Ref: diffusers v0.21.4 pipeline_stable_diffusion_img2img.py get_timesteps / prepare_latents and
//      scheduling_*.py add_noise; AUTOMATIC1111 sd_samplers_kdiffusion.py sample_img2img
//      (t_enc = int(min(strength, 0.999)·steps), sigma_sched = sigmas[steps − t_enc − 1:],
//      xi = x + noise·sigma_sched[0]).
#include <algorithm>
#include <cmath>
#include <string>

#include "samplers/lms.h"
#include "samplers/sampler.h"
#include "strata/doc/error.h"

namespace strata::diffusion {

namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw doc::Error(doc::ErrorCode::InvalidArgument, message);
}

bool is_alpha_sampler(SamplerKind s) {
  return s == SamplerKind::DDIM || s == SamplerKind::DDPM || s == SamplerKind::PNDM || s == SamplerKind::DPMPP2M;
}

// Level (index into the N-level schedule) of full-schedule call c.
int call_level(SamplerKind sampler, int c) {
  if (sampler == SamplerKind::Heun) return (c + 1) / 2;   // [t0, t1, t1, t2, t2, …]
  if (sampler == SamplerKind::PNDM) return c <= 1 ? c : c - 1;  // [t0, t1, t1, t2, …]
  return c;
}

void build_diffusers(Plan& p) {
  const auto& o = p.options;
  const int n = o.steps;
  const bool karras = o.schedule == ScheduleKind::Karras;
  const auto& tables = diffusers_tables();

  auto set_integer_timesteps = [&](const std::vector<std::int64_t>& ts) {
    for (auto t : ts) {
      p.timesteps.push_back(static_cast<double>(t));
      p.alphas_cumprod.push_back(tables.alphas_cumprod[static_cast<std::size_t>(t)]);
    }
  };
  switch (o.sampler) {
    case SamplerKind::DDIM:
    case SamplerKind::DDPM: set_integer_timesteps(ddim_timesteps(o.spacing.value_or(TimestepSpacing::Leading), n)); break;
    case SamplerKind::PNDM: set_integer_timesteps(pndm_timesteps(o.spacing.value_or(TimestepSpacing::Leading), n)); break;
    case SamplerKind::DPMPP2M:
      set_integer_timesteps(dpm_timesteps(o.spacing.value_or(TimestepSpacing::Linspace), n, karras));
      break;
    default: {
      const auto spacing = o.spacing.value_or(TimestepSpacing::Linspace);
      auto s = euler_family_schedule(spacing, n, karras);
      if (o.sampler == SamplerKind::Heun) {
        // Ref: scheduling_heun_discrete.py: σ = [σ0, σ1, σ1, …, σ_{N−1}, σ_{N−1}, 0], t = [t0, t1, t1, …].
        p.order = 2;
        p.sigmas.push_back(s.sigmas.front());
        p.timesteps.push_back(s.timesteps.front());
        for (int i = 1; i < n; ++i) {
          const auto k = static_cast<std::size_t>(i);
          p.sigmas.insert(p.sigmas.end(), 2, s.sigmas[k]);
          p.timesteps.insert(p.timesteps.end(), 2, s.timesteps[k]);
        }
        p.sigmas.push_back(s.sigmas.back());
      } else {
        p.sigmas = s.sigmas;
        p.timesteps = s.timesteps;
      }
      // init_noise_sigma: σ.max(), or (σ.max()² + 1)^½ with leading spacing (float32 tensor math).
      const auto max_sigma = static_cast<float>(*std::max_element(p.sigmas.begin(), p.sigmas.end()));
      p.init_noise_sigma = spacing == TimestepSpacing::Leading ? std::sqrt(max_sigma * max_sigma + 1.0f) : max_sigma;
      if (o.sampler == SamplerKind::LMS) {
        p.lms = lms_coefficients(std::vector<float>(p.sigmas.begin(), p.sigmas.end()), 4, /*float_integrand=*/true);
      }
    }
  }

  // The run. Ref: StableDiffusionImg2ImgPipeline.get_timesteps.
  const int init = std::min(static_cast<int>(n * o.strength), n);
  const int calls = static_cast<int>(p.timesteps.size());
  int c = (n - init) * p.order;
  for (bool first = true; c < calls; first = false) {
    int k = 1;
    if (o.sampler == SamplerKind::Heun && c % 2 == 0 && c + 1 < calls) k = 2;  // predictor + corrector
    if (o.sampler == SamplerKind::PNDM && first && c + 1 < calls) k = 2;       // counter 0 and 1
    PlanStep step;
    step.level = call_level(o.sampler, c);
    step.first_call = c;
    step.num_calls = k;
    step.timestep = p.timesteps[static_cast<std::size_t>(c)];
    if (p.alphas_cumprod.empty()) {
      step.sigma = p.sigmas[static_cast<std::size_t>(c)];
    } else {
      const double a = p.alphas_cumprod[static_cast<std::size_t>(c)];
      step.sigma = std::sqrt((1.0 - a) / a);
    }
    p.run.push_back(step);
    c += k;
  }
}

void build_kdiffusion(Plan& p) {
  const auto& o = p.options;
  const int n = o.steps;
  const auto sigmas = kdiffusion_sigmas(o.schedule, n);
  const auto ts = kdiffusion_sigma_to_t(std::vector<float>(sigmas.begin(), sigmas.end() - 1));
  p.sigmas.assign(sigmas.begin(), sigmas.end());
  p.timesteps.assign(ts.begin(), ts.end());
  p.init_noise_sigma = sigmas.front();

  const int t_enc = static_cast<int>(std::min(o.strength, 0.999) * n);
  const int start = n - t_enc - 1;
  std::vector<float> run_sigmas(sigmas.begin() + start, sigmas.end());

  // dpm_2's second evaluation: σ_mid = exp(lerp(log σ, log σ_next, ½)) (float32 torch ops).
  std::vector<float> mids;
  if (o.sampler == SamplerKind::DPM2) {
    torch::NoGradGuard no_grad;
    auto s = torch::tensor(std::vector<float>(run_sigmas.begin(), run_sigmas.end() - 1));
    auto s_next = torch::tensor(std::vector<float>(run_sigmas.begin() + 1, run_sigmas.end()));
    auto mid = torch::lerp(s.log(), s_next.log(), 0.5).exp().contiguous();
    mids.assign(mid.data_ptr<float>(), mid.data_ptr<float>() + mid.numel());
    for (std::size_t i = 0; i < mids.size(); ++i) {
      if (run_sigmas[i + 1] == 0.0f) mids[i] = 0.0f;  // last step is Euler; keep log(0) out of sigma_to_t
    }
  }
  std::vector<float> mids_positive;
  for (float m : mids) {
    if (m > 0.0f) mids_positive.push_back(m);
  }
  const auto mid_ts = kdiffusion_sigma_to_t(mids_positive);

  const bool two_calls = o.sampler == SamplerKind::Heun || o.sampler == SamplerKind::DPM2;
  std::size_t mid_index = 0;
  for (int i = start; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    KDiffusionStep ks;
    ks.sigma = sigmas[k];
    ks.sigma_next = sigmas[k + 1];
    ks.t = ts[k];
    if (o.sampler == SamplerKind::Heun && ks.sigma_next > 0.0f) {
      ks.sigma_2 = ks.sigma_next;
      ks.t_2 = ts[k + 1];
    }
    if (o.sampler == SamplerKind::DPM2 && ks.sigma_next > 0.0f) {
      ks.sigma_2 = mids[static_cast<std::size_t>(i - start)];
      ks.t_2 = mid_ts[mid_index++];
    }
    p.kdiffusion.push_back(ks);
    PlanStep step;
    step.level = i;
    step.first_call = i;
    step.num_calls = two_calls && ks.sigma_next > 0.0f ? 2 : 1;
    step.timestep = ks.t;
    step.sigma = ks.sigma;
    p.run.push_back(step);
  }
  if (o.sampler == SamplerKind::LMS) p.lms = lms_coefficients(run_sigmas, 4, /*float_integrand=*/false);
}

}  // namespace

int Plan::model_calls() const {
  int total = 0;
  for (const auto& s : run) total += s.num_calls;
  return total;
}

std::vector<double> Plan::run_timesteps() const {
  std::vector<double> out;
  for (std::size_t i = 0; i < run.size(); ++i) {
    const auto& s = run[i];
    if (options.convention == Convention::KDiffusion) {
      out.push_back(kdiffusion[i].t);
      if (s.num_calls == 2) out.push_back(kdiffusion[i].t_2);
    } else {
      for (int k = 0; k < s.num_calls; ++k) out.push_back(timesteps[static_cast<std::size_t>(s.first_call + k)]);
    }
  }
  return out;
}

double Plan::start_timestep() const { return run.empty() ? 0.0 : run.front().timestep; }
double Plan::start_sigma() const { return run.empty() ? 0.0 : run.front().sigma; }

bool Plan::alpha_based() const {
  return options.convention == Convention::Diffusers && is_alpha_sampler(options.sampler);
}

Plan make_plan(const PlanOptions& options) {
  if (options.steps < 1 || options.steps > kTrainTimesteps) {
    invalid("steps " + std::to_string(options.steps) + " outside 1..1000");
  }
  if (!std::isfinite(options.strength) || options.strength < 0.0 || options.strength > 1.0) {
    invalid("strength " + std::to_string(options.strength) + " outside [0,1]");
  }
  if (!std::isfinite(options.eta) || options.eta < 0.0) invalid("eta " + std::to_string(options.eta) + " must be >= 0");
  if (auto why = unsupported_reason(options.sampler, options.schedule, options.convention); !why.empty()) invalid(why);
  Plan p;
  p.options = options;
  if (options.convention == Convention::KDiffusion) {
    build_kdiffusion(p);
  } else {
    build_diffusers(p);
  }
  return p;
}

int start_level(const Plan& plan, double strength) {
  const int n = plan.options.steps;
  if (plan.options.convention == Convention::KDiffusion) {
    return n - static_cast<int>(std::min(strength, 0.999) * n) - 1;
  }
  return n - std::min(static_cast<int>(n * strength), n);
}

double decimal_strength(float strength) { return std::round(static_cast<double>(strength) * 1e6) / 1e6; }

torch::Tensor start_levels(const Plan& plan, const torch::Tensor& strength) {
  const auto n = static_cast<double>(plan.options.steps);
  auto s = torch::round(strength.to(torch::kFloat64) * 1e6) / 1e6;
  if (plan.options.convention == Convention::KDiffusion) {
    return (n - torch::floor(s.clamp_max(0.999) * n) - 1).to(torch::kLong);
  }
  return (n - torch::floor(s * n).clamp_max(n)).to(torch::kLong);
}

torch::Tensor add_noise(const Plan& plan, int step, const torch::Tensor& x0, const torch::Tensor& noise) {
  const auto& s = plan.run.at(static_cast<std::size_t>(step));
  const auto eps = noise.to(x0.device(), x0.scalar_type());
  if (plan.alpha_based()) {
    // Ref: scheduling_ddpm.py add_noise: √ᾱ·x0 + √(1−ᾱ)·ε at the integer timestep (float32).
    const auto a = static_cast<float>(plan.alphas_cumprod[static_cast<std::size_t>(s.first_call)]);
    const float sqrt_a = std::sqrt(a);
    const float sqrt_one_minus_a = std::sqrt(1.0f - a);
    return x0 * sqrt_a + eps * sqrt_one_minus_a;
  }
  // Ref: scheduling_euler_discrete.py add_noise; A1111 img2img: x0 + ε·σ.
  return x0 + eps * static_cast<float>(s.sigma);
}

}  // namespace strata::diffusion
