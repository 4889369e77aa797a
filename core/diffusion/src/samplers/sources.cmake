# Noise schedules and samplers (diffusers v0.21.4 schedulers, k-diffusion samplers) as free functions
# over a denoise callback; sampler_options.h names them.
strata_torch_part(strata_diffusion_samplers
  SOURCES src/samplers/sampler_options.cpp src/samplers/schedule.cpp src/samplers/lms.cpp
          src/samplers/plan.cpp src/samplers/sample.cpp src/samplers/diffusers_sigma_steppers.cpp
          src/samplers/diffusers_alpha_steppers.cpp src/samplers/kdiffusion_steppers.cpp
  DEPS strata_diffusion_base)
