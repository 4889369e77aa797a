// Schedules: every diffusers table of the reference kit (timesteps, σ, init_noise_sigma, order, ᾱ,
// spacing variants), the k-diffusion normal/karras σ and t, the ᾱ buffers, img2img truncation in both
// conventions, add_noise against the pipelines' initial latents, names and unsupported combinations.
// Ref: reference kit tiny-sd15/cases/scheduler_tables.json, tiny-sd15/pipelines/index.json
//      (diffusers v0.21.4, k-diffusion ab527a9a).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "reference.h"
#include "sampler_test_support.h"
#include "samplers/lms.h"
#include "samplers/sampler.h"
#include "samplers/schedule.h"
#include "strata/doc/error.h"
#include "torch_tensors.h"

using namespace strata;
using namespace strata::diffusion;

namespace {


TimestepSpacing spacing_named(const std::string& s) {
  if (s == "leading") return TimestepSpacing::Leading;
  if (s == "trailing") return TimestepSpacing::Trailing;
  REQUIRE(s == "linspace");
  return TimestepSpacing::Linspace;
}

// |got − want| ≤ 1e-6·max(1, |want|) element by element.
void check_values(const std::vector<double>& got, const nlohmann::json& want, const std::string& what,
                  double tol = 1e-6) {
  INFO(what);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double w = want[i].get<double>();
    INFO("index " << i << ": got " << got[i] << ", want " << w);
    CHECK(std::abs(got[i] - w) <= tol * std::max(1.0, std::abs(w)));
  }
}

void check_float_tensor_equal(const torch::Tensor& got, const torch::Tensor& want, double rtol) {
  REQUIRE(got.sizes() == want.sizes());
  const double diff = (got - want).abs().max().item<double>();
  const double scale = want.abs().max().item<double>();
  INFO("max abs diff " << diff << " (max |ref| " << scale << ")");
  CHECK(diff <= rtol * std::max(1.0, scale));
}

}  // namespace

TEST_CASE("samplers: names round-trip and unknown names are refused", "[samplers]") {
  for (auto k : {SamplerKind::Euler, SamplerKind::EulerAncestral, SamplerKind::DDIM, SamplerKind::DPMPP2M,
                 SamplerKind::LMS, SamplerKind::Heun, SamplerKind::DDPM, SamplerKind::PNDM, SamplerKind::DPM2}) {
    CHECK(parse_sampler(to_string(k)) == k);
  }
  CHECK(to_string(SamplerKind::EulerAncestral) == "euler_a");
  CHECK(to_string(SamplerKind::DPMPP2M) == "dpmpp_2m");
  CHECK(parse_schedule("karras") == ScheduleKind::Karras);
  CHECK(parse_schedule(to_string(ScheduleKind::Normal)) == ScheduleKind::Normal);
  CHECK(parse_convention("a1111") == Convention::KDiffusion);
  CHECK(parse_convention("k-diffusion") == Convention::KDiffusion);
  CHECK(parse_convention(to_string(Convention::Diffusers)) == Convention::Diffusers);
  try {
    (void)parse_sampler("euler_ancestral");
    FAIL("no error");
  } catch (const doc::Error& e) {
    CHECK(e.code() == doc::ErrorCode::InvalidArgument);
    CHECK(std::string(e.what()).find("euler_ancestral") != std::string::npos);
    CHECK(std::string(e.what()).find("dpmpp_2m") != std::string::npos);
  }
  CHECK_THROWS_AS(parse_schedule("exponential"), doc::Error);
  CHECK_THROWS_AS(parse_convention("comfy"), doc::Error);
}

TEST_CASE("samplers: unsupported combinations are refused with a reason", "[samplers]") {
  CHECK(unsupported_reason(SamplerKind::Euler, ScheduleKind::Karras, Convention::KDiffusion).empty());
  CHECK(unsupported_reason(SamplerKind::DPM2, ScheduleKind::Normal, Convention::KDiffusion).empty());
  CHECK(!unsupported_reason(SamplerKind::DDIM, ScheduleKind::Normal, Convention::KDiffusion).empty());
  CHECK(!unsupported_reason(SamplerKind::DPM2, ScheduleKind::Normal, Convention::Diffusers).empty());
  CHECK(!unsupported_reason(SamplerKind::PNDM, ScheduleKind::Karras, Convention::Diffusers).empty());
  PlanOptions o;
  o.sampler = SamplerKind::DDPM;
  o.schedule = ScheduleKind::Karras;
  try {
    (void)make_plan(o);
    FAIL("no error");
  } catch (const doc::Error& e) {
    CHECK(e.code() == doc::ErrorCode::InvalidArgument);
    CHECK(std::string(e.what()).find("ddpm") != std::string::npos);
  }
  o = {};
  o.steps = 0;
  CHECK_THROWS_AS(make_plan(o), doc::Error);
  o.steps = 10;
  o.strength = 1.5;
  CHECK_THROWS_AS(make_plan(o), doc::Error);
}

TEST_CASE("samplers: the 21-point Kronrod rule integrates polynomials up to degree 31 exactly", "[samplers]") {
  for (int k = 0; k <= 31; ++k) {
    const double got = kronrod21([k](double x) { return std::pow(x, k); }, -1.0, 1.0);
    const double want = k % 2 == 0 ? 2.0 / (k + 1) : 0.0;
    INFO("degree " << k);
    CHECK(std::abs(got - want) < 1e-14);
  }
  // Reversed limits, like LMS's descending σ.
  CHECK(kronrod21([](double x) { return 3 * x * x; }, 2.0, 1.0) == Approx(-7.0).epsilon(1e-14));
  CHECK(np_round(2.5) == 2.0);
  CHECK(np_round(3.5) == 4.0);
}

TEST_CASE("samplers: diffusers scheduler tables (every scheduler, spacing variant and step count)", "[samplers]") {
  REQUIRE_REFERENCE();
  const auto tables = test::read_json(test::reference_dir() / "tiny-sd15/cases/scheduler_tables.json");
  int checked = 0;
  for (const auto& [name, variants] : tables.at("diffusers").items()) {
    for (const auto& [variant, v] : variants.items()) {
      for (int n : {10, 20}) {
        const auto& want = v.at("steps_" + std::to_string(n));
        const auto& config = v.at("config");
        PlanOptions o;
        o.sampler = test::sampler_for_class(v.at("class").get<std::string>());
        o.schedule = config.value("use_karras_sigmas", false) ? ScheduleKind::Karras : ScheduleKind::Normal;
        o.steps = n;
        // The 'pipeline' variant checks each class's own default spacing.
        if (variant != "pipeline") o.spacing = spacing_named(config.at("timestep_spacing").get<std::string>());
        else CHECK(v.at("overrides").count("timestep_spacing") == 0);
        const std::string what = name + " " + variant + " " + std::to_string(n) + " steps";
        INFO(what);
        const Plan plan = make_plan(o);
        check_values(plan.timesteps, want.at("timesteps"), what + ": timesteps");
        if (want.at("timesteps_dtype") == "int64") {
          for (double t : plan.timesteps) CHECK(t == std::floor(t));
        }
        CHECK(plan.init_noise_sigma == Approx(want.at("init_noise_sigma").get<double>()).epsilon(1e-6));
        CHECK(plan.order == want.at("order").get<int>());
        if (o.sampler == SamplerKind::DPMPP2M) {
          if (want.contains("sigmas")) {
            // DPMSolverMultistep keeps its ascending Karras list (only used to pick timesteps).
            const auto& t = diffusers_tables();
            check_values(karras_convert(t.sigmas.front(), t.sigmas.back(), n), want.at("sigmas"), what + ": sigmas");
          }
        } else if (want.contains("sigmas")) {
          check_values(plan.sigmas, want.at("sigmas"), what + ": sigmas");
        }
        if (want.contains("alphas_cumprod_at_timesteps")) {
          check_values(plan.alphas_cumprod, want.at("alphas_cumprod_at_timesteps"), what + ": alphas_cumprod");
          std::vector<double> vp;
          for (double a : plan.alphas_cumprod) vp.push_back(std::sqrt((1.0 - a) / a));
          check_values(vp, want.at("vp_sigma_at_timesteps"), what + ": vp sigma");
        }
        if (want.contains("final_alpha_cumprod")) {
          CHECK(diffusers_tables().alphas_cumprod[0] == Approx(want.at("final_alpha_cumprod").get<double>()).epsilon(1e-7));
        }
        // The full run of a txt2img plan covers every call once, in order.
        std::vector<double> run = plan.run_timesteps();
        CHECK(run == plan.timesteps);
        CHECK(plan.steps_run() == (o.sampler == SamplerKind::DPMPP2M ? static_cast<int>(plan.timesteps.size()) : n));
        ++checked;
      }
    }
  }
  CHECK(checked == 10 * 4 * 2);
}

TEST_CASE("samplers: k-diffusion normal and karras sigmas with their fractional t", "[samplers]") {
  REQUIRE_REFERENCE();
  const auto tables = test::read_json(test::reference_dir() / "tiny-sd15/cases/scheduler_tables.json");
  const auto& kd = tables.at("k_diffusion");
  const auto& t = kdiffusion_tables();
  CHECK(t.sigmas.front() == Approx(kd.at("sigma_min").get<double>()).epsilon(1e-7));
  CHECK(t.sigmas.back() == Approx(kd.at("sigma_max").get<double>()).epsilon(1e-7));
  for (const auto& [name, schedule] : {std::pair{"normal", ScheduleKind::Normal}, std::pair{"karras", ScheduleKind::Karras}}) {
    for (int n : {10, 20}) {
      const std::string key = std::string(name) + "_" + std::to_string(n);
      INFO(key);
      const auto& want = kd.at(key);
      for (auto sampler : {SamplerKind::Euler, SamplerKind::DPM2}) {
        PlanOptions o;
        o.convention = Convention::KDiffusion;
        o.sampler = sampler;
        o.schedule = schedule;
        o.steps = n;
        const Plan plan = make_plan(o);
        check_values(plan.sigmas, want.at("sigmas"), key + " sigmas");
        std::vector<double> t_want;
        for (const auto& v : want.at("t_for_sigmas")) {
          if (!v.is_null()) t_want.push_back(v.get<double>());
        }
        check_values(plan.timesteps, t_want, key + " t", 1e-6);
        CHECK(plan.init_noise_sigma == plan.sigmas.front());
        CHECK(plan.steps_run() == n);
      }
    }
  }
}

TEST_CASE("samplers: alphas_cumprod tables agree with the checkpoint buffer and each other", "[samplers]") {
  REQUIRE_REFERENCE();
  auto index = TensorIndex::open(test::reference_dir() / "tiny-sd15/model.safetensors");
  const auto* info = index.find("alphas_cumprod");
  REQUIRE(info != nullptr);
  auto buffer = view(*info).to(torch::kFloat32);
  const auto& kd = kdiffusion_tables().alphas_cumprod;
  const auto& df = diffusers_tables().alphas_cumprod;
  REQUIRE(buffer.numel() == 1000);
  double ldm_vs_buffer = 0, diffusers_vs_ldm = 0;
  for (int i = 0; i < 1000; ++i) {
    ldm_vs_buffer = std::max(ldm_vs_buffer, std::abs(double(kd[i]) - buffer[i].item<double>()));
    diffusers_vs_ldm = std::max(diffusers_vs_ldm, std::abs(double(kd[i]) - double(df[i])));
  }
  CHECK(ldm_vs_buffer == 0.0);
  CHECK(diffusers_vs_ldm <= 4.8e-7);
}

TEST_CASE("samplers: img2img truncation follows diffusers and A1111", "[samplers]") {
  auto plan_for = [](SamplerKind s, double strength, Convention c = Convention::Diffusers, int n = 10) {
    PlanOptions o;
    o.sampler = s;
    o.convention = c;
    o.steps = n;
    o.strength = strength;
    return make_plan(o);
  };
  // README: 10 steps, s = 0.3 → 3 steps from t = 201 (DDIM) / 222 (Euler a).
  auto ddim = plan_for(SamplerKind::DDIM, 0.3);
  CHECK(ddim.run_timesteps() == std::vector<double>{201, 101, 1});
  CHECK(ddim.steps_run() == 3);
  CHECK(ddim.start_timestep() == 201);
  CHECK(ddim.start_sigma() == Approx(std::sqrt((1 - ddim.alphas_cumprod[7]) / ddim.alphas_cumprod[7])));
  auto euler_a = plan_for(SamplerKind::EulerAncestral, 0.3);
  CHECK(euler_a.run_timesteps() == std::vector<double>{222, 111, 0});
  CHECK(euler_a.start_sigma() == Approx(euler_a.sigmas[7]));
  CHECK(euler_a.run.front().level == 7);
  // Heun: timesteps[start·order:] starts on the second copy of t7 → 3 steps, 5 calls.
  auto heun = plan_for(SamplerKind::Heun, 0.3);
  CHECK(heun.run_timesteps() == std::vector<double>{222, 111, 111, 0, 0});
  CHECK(heun.steps_run() == 3);
  CHECK(heun.model_calls() == 5);
  CHECK(heun.start_sigma() == Approx(heun.sigmas[14]));
  // PNDM: order 1 over an N+1 list, so the run starts one timestep earlier (301) and pairs its first
  // two calls.
  auto pndm = plan_for(SamplerKind::PNDM, 0.3);
  CHECK(pndm.run_timesteps() == std::vector<double>{301, 201, 101, 1});
  CHECK(pndm.steps_run() == 3);
  CHECK(pndm.run.front().num_calls == 2);
  // Strength 0 runs nothing; full strength runs everything.
  CHECK(plan_for(SamplerKind::Euler, 0.0).steps_run() == 0);
  CHECK(plan_for(SamplerKind::Euler, 0.0).start_sigma() == 0.0);
  CHECK(plan_for(SamplerKind::DDIM, 1.0).steps_run() == 10);
  // int(N·s) in double: 0.7·10 = 7 steps (0.7f would give 6).
  CHECK(plan_for(SamplerKind::DDIM, 0.7).steps_run() == 7);
  CHECK(plan_for(SamplerKind::DDIM, static_cast<double>(0.7f)).steps_run() == 6);
  // A1111: t_enc = int(min(s, 0.999)·N), sigmas[N − t_enc − 1:] → t_enc + 1 steps.
  auto a1111 = plan_for(SamplerKind::Euler, 0.3, Convention::KDiffusion);
  CHECK(a1111.steps_run() == 4);
  CHECK(a1111.start_sigma() == a1111.sigmas[6]);
  CHECK(a1111.run.front().level == 6);
  CHECK(plan_for(SamplerKind::Euler, 1.0, Convention::KDiffusion).steps_run() == 10);
  CHECK(plan_for(SamplerKind::Euler, 0.0, Convention::KDiffusion).steps_run() == 1);
  auto a1111_heun = plan_for(SamplerKind::Heun, 0.3, Convention::KDiffusion);
  CHECK(a1111_heun.model_calls() == 2 * 4 - 1);
  // Per-pixel start levels agree with the scalar rule; a uniform map starts where the run starts.
  for (double s : {0.0, 0.05, 0.3, 0.55, 0.7, 0.999, 1.0}) {
    for (const Plan* p : {&ddim, &a1111}) {
      auto levels = start_levels(*p, torch::full({1, 1, 2, 2}, s, torch::kFloat64));
      CHECK(levels.min().item<std::int64_t>() == start_level(*p, s));
      CHECK(levels.max().item<std::int64_t>() == start_level(*p, s));
    }
  }
  CHECK(start_level(ddim, 0.3) == ddim.run.front().level);
  CHECK(start_level(a1111, 0.3) == a1111.run.front().level);
}

TEST_CASE("samplers: pipelines' timesteps and img2img initial latents", "[samplers]") {
  REQUIRE_REFERENCE();
  const auto dir = test::reference_dir() / "tiny-sd15/pipelines";
  const auto index = test::read_json(dir / "index.json");
  int img2img = 0;
  for (const auto& [name, c] : index.at("cases").items()) {
    INFO(name);
    PlanOptions o;
    o.sampler = test::sampler_for_class(c.at("scheduler_class").get<std::string>());
    o.schedule = c.at("scheduler_overrides").value("use_karras_sigmas", false) ? ScheduleKind::Karras : ScheduleKind::Normal;
    o.steps = c.at("steps").get<int>();
    o.strength = c.value("strength", 1.0);
    const Plan plan = make_plan(o);
    check_values(plan.run_timesteps(), c.at("timesteps_run"), name + ": timesteps_run");
    if (c.at("kind") != "img2img") continue;
    auto t = load_all(dir / (name + ".safetensors"));
    // Draw 1 = VAE posterior sample, draw 2 = add_noise's noise; both replay from the seed.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(c.at("seed").get<std::uint64_t>());
    auto draw1 = torch::randn({1, 4, 8, 8}, gen, torch::kFloat32);
    auto draw2 = torch::randn({1, 4, 8, 8}, gen, torch::kFloat32);
    CHECK(torch::equal(draw1, t.at("noise_draws")[0]));
    CHECK(torch::equal(draw2, t.at("noise_draws")[1]));
    auto x = add_noise(plan, 0, t.at("init_latents_clean"), draw2);
    check_float_tensor_equal(x, t.at("initial_latents"), 1e-6);
    ++img2img;
  }
  CHECK(img2img == 4);
}
