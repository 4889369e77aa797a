// Sampler trajectories: the reference kit's toy-denoiser runs of every diffusers scheduler and every
// k-diffusion sampler, replayed step by step (model inputs, ε, latents after each step, x̂0, final
// latents, per-step noise draws from the seeded CPU generator); and the loop's hooks (cancel,
// before_step, after_step).
// Ref: reference kit tiny-sd15/cases/trajectories_{diffusers,kdiffusion}.safetensors and the recipe in
//      tiny-sd15/cases.json (diffusers v0.21.4, k-diffusion ab527a9a).
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "network_test_support.h"
#include "reference.h"
#include "sampler_test_support.h"
#include "samplers/sampler.h"
#include "strata/doc/error.h"
#include "torch_tensors.h"

using namespace strata;
using namespace strata::diffusion;

namespace {

constexpr double kRtol = 1e-5;

// The kit's toy denoiser: eps = 0.1f·x_in + 1e-5f·t (float32).
torch::Tensor toy(const torch::Tensor& x_in, double t) {
  auto tt = torch::full({x_in.size(0), 1, 1, 1}, static_cast<float>(t), torch::kFloat32);
  return x_in * 0.1 + tt * 1e-5;
}

// max |got − want| ≤ rtol · max(1, max |want|).
void check_close(const torch::Tensor& got, const torch::Tensor& want, const std::string& what, double& worst) {
  INFO(what);
  REQUIRE(got.sizes() == want.sizes());
  const double diff = (got - want).abs().max().item<double>();
  const double scale = std::max(1.0, want.abs().max().item<double>());
  worst = std::max(worst, diff / scale);
  INFO("max abs diff " << diff << ", scale " << scale);
  CHECK(diff <= kRtol * scale);
}


const std::map<std::string, SamplerKind>& kdiffusion_samplers() {
  static const std::map<std::string, SamplerKind> m{
      {"sample_euler", SamplerKind::Euler},     {"sample_euler_ancestral", SamplerKind::EulerAncestral},
      {"sample_heun", SamplerKind::Heun},       {"sample_dpm_2", SamplerKind::DPM2},
      {"sample_lms", SamplerKind::LMS},         {"sample_dpmpp_2m", SamplerKind::DPMPP2M},
  };
  return m;
}

torch::Tensor x_T() {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(0);
  return torch::randn({1, 4, 8, 8}, gen, torch::kFloat32);
}

// After sample(), the generator must sit exactly after `draws` draws of the latent shape.
void check_generator_position(at::Generator& gen, std::int64_t draws, const torch::Tensor* stored) {
  auto fresh = at::make_generator<at::CPUGeneratorImpl>(1000);
  for (std::int64_t i = 0; i < draws; ++i) {
    auto d = torch::randn({1, 4, 8, 8}, fresh, torch::kFloat32);
    if (stored) CHECK(torch::equal(d, (*stored)[i]));  // the stored draws replay bit-exactly
  }
  CHECK(torch::equal(torch::randn({1, 4, 8, 8}, gen, torch::kFloat32), torch::randn({1, 4, 8, 8}, fresh, torch::kFloat32)));
}

}  // namespace

namespace {

// The end of a replayed run: the final latent, and the generator advanced by exactly the
// reference's noise draws (compared with the logged draws when there are any).
void check_run_end(const torch::Tensor& final, at::Generator& gen, const std::map<std::string, torch::Tensor>& t,
                   const std::string& key, const nlohmann::json& c, double& worst) {
  check_close(final, t.at(key + "|final"), "final", worst);
  const auto draws = c.at("n_noise_draws").get<std::int64_t>();
  const auto it = t.find(key + "|noise_draws");
  CHECK((it != t.end()) == (draws > 0));
  check_generator_position(gen, draws, it != t.end() ? &it->second : nullptr);
}

}  // namespace

TEST_CASE("samplers: diffusers toy-denoiser trajectories", "[samplers][trajectories]") {
  REQUIRE_REFERENCE();
  const auto cases = test::read_json(test::reference_dir() / "tiny-sd15/cases.json");
  const auto& traj = cases.at("files").at("cases/trajectories_diffusers.safetensors").at("trajectories");
  const auto t = load_all(test::reference_dir() / "tiny-sd15/cases/trajectories_diffusers.safetensors");
  const auto xT = x_T();
  int replayed = 0;
  double worst = 0;
  for (const auto& [key, c] : traj.items()) {
    INFO(key);
    PlanOptions o;
    o.sampler = test::sampler_for_class(c.at("class").get<std::string>());
    o.schedule = c.at("overrides").value("use_karras_sigmas", false) ? ScheduleKind::Karras : ScheduleKind::Normal;
    o.steps = c.at("steps").get<int>();
    const Plan plan = make_plan(o);
    const int n_calls = c.at("n_step_calls").get<int>();
    REQUIRE(plan.model_calls() == n_calls);

    auto x = xT * plan.init_noise_sigma;
    check_close(x, t.at(key + "|init_latents"), "init_latents", worst);

    const auto& model_input = t.at(key + "|model_input");
    const auto& eps = t.at(key + "|eps");
    const auto& after = t.at(key + "|latents_after_step");
    int call = 0;
    ModelFn model = [&](const torch::Tensor& in, double timestep) {
      REQUIRE(call < n_calls);
      CHECK(timestep == Approx(c.at("timesteps_passed_to_model")[call].get<double>()).epsilon(1e-6));
      check_close(in, model_input[call], "model_input call " + std::to_string(call), worst);
      auto e = toy(in, timestep);
      check_close(e, eps[call], "eps call " + std::to_string(call), worst);
      ++call;
      return e;
    };
    StepHooks hooks;
    int steps_seen = 0;
    hooks.after_step = [&](int i, int total, const torch::Tensor& latents, const torch::Tensor& denoised) {
      CHECK(i == steps_seen++);
      CHECK(total == plan.steps_run());
      CHECK(denoised.defined());
      // The latent after a step equals the scheduler's state after the step's last call.
      check_close(latents, after[call - 1], "latents after step " + std::to_string(i), worst);
    };
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1000);
    auto final = sample(plan, x, model, gen, hooks);
    CHECK(call == n_calls);
    CHECK(steps_seen == plan.steps_run());
    check_run_end(final, gen, t, key, c, worst);
    ++replayed;
  }
  CHECK(replayed == 20);
  WARN("diffusers trajectories: worst max|diff|/max|ref| = " << worst);
}

TEST_CASE("samplers: k-diffusion toy-denoiser trajectories", "[samplers][trajectories]") {
  REQUIRE_REFERENCE();
  const auto cases = test::read_json(test::reference_dir() / "tiny-sd15/cases.json");
  const auto& traj = cases.at("files").at("cases/trajectories_kdiffusion.safetensors").at("trajectories");
  const auto t = load_all(test::reference_dir() / "tiny-sd15/cases/trajectories_kdiffusion.safetensors");
  const auto xT = x_T();
  int replayed = 0;
  double worst = 0;
  for (const auto& [key, c] : traj.items()) {
    INFO(key);
    PlanOptions o;
    o.convention = Convention::KDiffusion;
    o.sampler = kdiffusion_samplers().at(c.at("sampler").get<std::string>());
    o.schedule = c.at("sigmas") == "karras" ? ScheduleKind::Karras : ScheduleKind::Normal;
    o.steps = c.at("steps").get<int>();
    const Plan plan = make_plan(o);
    REQUIRE(plan.steps_run() == o.steps);

    auto x = xT * plan.init_noise_sigma;
    check_close(x, t.at(key + "|init_latents"), "init_latents", worst);
    const auto& before = t.at(key + "|x_before_step");
    const auto& denoised_ref = t.at(key + "|denoised");
    int calls = 0;
    ModelFn model = [&](const torch::Tensor& in, double timestep) {
      ++calls;
      return toy(in, timestep);
    };
    StepHooks hooks;
    hooks.before_step = [&](int i, torch::Tensor& latents) {
      check_close(latents, before[i], "x before step " + std::to_string(i), worst);
    };
    hooks.after_step = [&](int i, int, const torch::Tensor&, const torch::Tensor& denoised) {
      check_close(denoised, denoised_ref[i], "denoised at step " + std::to_string(i), worst);
    };
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1000);
    auto final = sample(plan, x, model, gen, hooks);
    CHECK(calls == plan.model_calls());
    check_run_end(final, gen, t, key, c, worst);
    ++replayed;
  }
  CHECK(replayed == 24);
  WARN("k-diffusion trajectories: worst max|diff|/max|ref| = " << worst);
}

TEST_CASE("samplers: cancel, hooks and img2img runs", "[samplers]") {
  PlanOptions o;
  o.sampler = SamplerKind::Heun;
  o.steps = 6;
  const Plan plan = make_plan(o);
  int calls = 0;
  ModelFn model = [&](const torch::Tensor& in, double timestep) {
    ++calls;
    return toy(in, timestep);
  };
  auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
  auto x = torch::randn({2, 4, 8, 8}, gen, torch::kFloat32) * plan.init_noise_sigma;

  SECTION("should_cancel stops before the next step with Cancelled") {
    StepHooks hooks;
    int done = 0;
    hooks.after_step = [&](int, int, const torch::Tensor&, const torch::Tensor&) { ++done; };
    hooks.should_cancel = [&] { return done == 2; };
    try {
      (void)sample(plan, x, model, gen, hooks);
      FAIL("not cancelled");
    } catch (const doc::Error& e) {
      CHECK(e.code() == doc::ErrorCode::Cancelled);
      CHECK(std::string(e.what()).find("step 3 of 6") != std::string::npos);
    }
    CHECK(done == 2);
    CHECK(calls == 4);  // two Heun steps, two calls each
  }

  SECTION("before_step may replace the latent; x0 re-noised every step gives the same result as a start") {
    // Resetting the latent to add_noise(x0, ε) at step i makes step i behave like an img2img start
    // there: the last step's output then equals a 1-step-from-the-end run.
    auto x0 = torch::randn({2, 4, 8, 8}, gen, torch::kFloat32);
    auto eps = torch::randn({2, 4, 8, 8}, gen, torch::kFloat32);
    StepHooks hooks;
    hooks.before_step = [&](int i, torch::Tensor& latents) { latents = add_noise(plan, i, x0, eps); };
    auto g1 = at::make_generator<at::CPUGeneratorImpl>(5);
    auto renoised = sample(plan, x, model, g1, hooks);
    PlanOptions last = o;
    last.strength = 1.0 / 6;
    const Plan tail = make_plan(last);
    REQUIRE(tail.steps_run() == 1);
    CHECK(tail.run.front().level == plan.run.back().level);
    auto g2 = at::make_generator<at::CPUGeneratorImpl>(5);
    auto direct = sample(tail, add_noise(tail, 0, x0, eps), model, g2);
    CHECK(torch::equal(renoised, direct));
  }

  SECTION("an empty run returns the input unchanged") {
    PlanOptions none = o;
    none.strength = 0.0;
    const Plan p = make_plan(none);
    CHECK(torch::equal(sample(p, x, model, gen), x));
    CHECK(calls == 0);
  }
}

namespace {

// ᾱ at every model call of a plan's run (VP form of the model input: √ᾱ·x0 + √(1−ᾱ)·ε).
std::vector<double> call_alphas(const Plan& p) {
  std::vector<double> out;
  for (std::size_t i = 0; i < p.run.size(); ++i) {
    const auto& s = p.run[i];
    for (int k = 0; k < s.num_calls; ++k) {
      const auto c = static_cast<std::size_t>(s.first_call + k);
      double sigma = 0;
      if (p.options.convention == Convention::KDiffusion) {
        sigma = k == 0 ? p.kdiffusion[i].sigma : p.kdiffusion[i].sigma_2;
      } else if (p.alpha_based()) {
        out.push_back(p.alphas_cumprod[c]);
        continue;
      } else {
        sigma = p.sigmas[c];
      }
      out.push_back(1.0 / (sigma * sigma + 1.0));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("samplers: v-prediction matches the equivalent ε model", "[samplers]") {
  // A v model built from the toy ε model (v = √ᾱ·ε − √(1−ᾱ)·x̂0) must give the ε trajectory up to
  // rounding. PNDM is left out: it combines raw outputs of different steps before converting, so its
  // v and ε runs differ by design (as in diffusers).
  struct Case {
    Convention convention;
    SamplerKind sampler;
    ScheduleKind schedule;
    double strength;
  };
  std::vector<Case> cases;
  for (auto s : {SamplerKind::Euler, SamplerKind::EulerAncestral, SamplerKind::DDIM, SamplerKind::DPMPP2M,
                 SamplerKind::LMS, SamplerKind::Heun, SamplerKind::DDPM}) {
    cases.push_back({Convention::Diffusers, s, ScheduleKind::Normal, 1.0});
    cases.push_back({Convention::Diffusers, s, ScheduleKind::Normal, 0.55});
  }
  for (auto s : {SamplerKind::Euler, SamplerKind::EulerAncestral, SamplerKind::DPMPP2M, SamplerKind::LMS,
                 SamplerKind::Heun, SamplerKind::DPM2}) {
    cases.push_back({Convention::KDiffusion, s, ScheduleKind::Karras, 1.0});
    cases.push_back({Convention::KDiffusion, s, ScheduleKind::Normal, 0.55});
  }
  auto gen0 = at::make_generator<at::CPUGeneratorImpl>(3);
  const auto noise = torch::randn({2, 4, 8, 8}, gen0, torch::kFloat32);
  const auto clean = torch::randn({2, 4, 8, 8}, gen0, torch::kFloat32);
  for (const auto& c : cases) {
    PlanOptions o;
    o.convention = c.convention;
    o.sampler = c.sampler;
    o.schedule = c.schedule;
    o.steps = 12;
    o.strength = c.strength;
    INFO(to_string(c.sampler) << " " << to_string(c.convention) << " strength " << c.strength);
    const Plan eps_plan = make_plan(o);
    o.prediction = Prediction::VPrediction;
    const Plan v_plan = make_plan(o);
    const auto x = c.strength < 1.0 ? add_noise(eps_plan, 0, clean, noise) : noise * eps_plan.init_noise_sigma;

    auto g1 = at::make_generator<at::CPUGeneratorImpl>(11);
    const auto eps_final = sample(eps_plan, x, toy, g1);
    const auto alphas = call_alphas(v_plan);
    std::size_t call = 0;
    ModelFn v_model = [&](const torch::Tensor& in, double t) {
      REQUIRE(call < alphas.size());
      const double a = alphas[call++];
      auto e = toy(in, t);
      auto x0 = (in - e * std::sqrt(1.0 - a)) / std::sqrt(a);
      return e * std::sqrt(a) - x0 * std::sqrt(1.0 - a);
    };
    auto g2 = at::make_generator<at::CPUGeneratorImpl>(11);
    const auto v_final = sample(v_plan, x, v_model, g2);
    CHECK(call == alphas.size());
    const double diff = (v_final - eps_final).abs().max().item<double>();
    const double scale = std::max(1.0, eps_final.abs().max().item<double>());
    INFO("max abs diff " << diff << ", scale " << scale);
    CHECK(diff <= 1e-4 * scale);
  }
}

TEST_CASE("samplers: DDIM with eta > 0 draws one noise tensor per step", "[samplers]") {
  PlanOptions o;
  o.sampler = SamplerKind::DDIM;
  o.steps = 5;
  o.eta = 0.5;
  const Plan noisy = make_plan(o);
  o.eta = 0.0;
  const Plan quiet = make_plan(o);
  auto g = at::make_generator<at::CPUGeneratorImpl>(2);
  const auto x = torch::randn({1, 4, 8, 8}, g, torch::kFloat32);
  auto g1 = at::make_generator<at::CPUGeneratorImpl>(1000);
  auto g2 = at::make_generator<at::CPUGeneratorImpl>(1000);
  const auto a = sample(noisy, x, toy, g1);
  const auto b = sample(quiet, x, toy, g2);
  CHECK(!torch::allclose(a, b));
  check_generator_position(g1, 5, nullptr);
  check_generator_position(g2, 0, nullptr);
}

// SD 2.1-v and SDXL: the kits' diffusers pipelines replayed through the samplers with the recorded
// UNet outputs (CFG applied as diffusers does): every model input and every latent after a step
// match, and the final latents are within 1e-5 × max|ref| — v-prediction math and SDXL's leading
// spacing, isolated from the networks.
TEST_CASE("samplers: SD 2.1-v and SDXL pipelines replayed with their recorded UNet outputs", "[samplers][families]") {
  REQUIRE_REFERENCE();
  c10::InferenceMode guard;
  struct Kit {
    const char* name;
    Prediction prediction;
    std::optional<TimestepSpacing> spacing;
  };
  int replayed = 0;
  for (const Kit kit : {Kit{"tiny-sd21v", Prediction::VPrediction, std::nullopt},
                        Kit{"tiny-sdxl", Prediction::Epsilon, TimestepSpacing::Leading}}) {
    const auto dir = test::reference_dir() / kit.name / "pipelines";
    const auto index = test::read_json(dir / "index.json");
    for (const auto& [name, c] : index["cases"].items()) {
      if (c["kind"] != "txt2img") continue;  // img2img starts from the VAE: the pipeline tests cover it
      INFO(kit.name << " " << name);
      const auto t = load_all(dir / (name + ".safetensors"));
      PlanOptions o;
      const std::string scheduler = c["scheduler"].get<std::string>();
      o.sampler = scheduler == "Euler a" ? SamplerKind::EulerAncestral
                  : scheduler == "DDIM"  ? SamplerKind::DDIM
                  : scheduler == "Euler" ? SamplerKind::Euler
                                         : SamplerKind::DPMPP2M;
      if (scheduler == "DPM++ 2M Karras") o.schedule = ScheduleKind::Karras;
      o.steps = c["steps"].get<int>();
      o.prediction = kit.prediction;
      o.spacing = kit.spacing;
      const Plan plan = make_plan(o);
      const double g = c["guidance_scale"].get<double>();
      const auto& inputs = t.at("unet_input_per_step");    // [n, 2, 4, h, w]
      const auto& outputs = t.at("unet_output_per_step");  // [n, 2, 4, h, w], [uncond, cond]
      int call = 0;
      ModelFn model = [&](const torch::Tensor& x, double) {
        REQUIRE(call < inputs.size(0));
        test::check_close("model input " + std::to_string(call), x, inputs[call][1].unsqueeze(0),
                          1e-5 * test::max_abs(inputs[call]) + 1e-6);
        auto out = outputs[call];
        ++call;
        return (out[0] + g * (out[1] - out[0])).unsqueeze(0);
      };
      auto gen = at::make_generator<at::CPUGeneratorImpl>(c["seed"].get<std::uint64_t>());
      auto x = torch::randn(t.at("initial_latents").sizes(), gen, torch::kFloat32) * plan.init_noise_sigma;
      test::check_close("initial latents", x, t.at("initial_latents"), 1e-5 * test::max_abs(t.at("initial_latents")));
      auto final_latents = sample(plan, x, model, gen);
      CHECK(call == inputs.size(0));
      test::check_close("final latents", final_latents, t.at("final_latents"), 1e-5 * test::max_abs(t.at("final_latents")));
      ++replayed;
    }
  }
  CHECK(replayed == 6);  // 3 txt2img cases in each kit
}
