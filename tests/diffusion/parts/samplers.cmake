# Samplers: scheduler tables, img2img truncation and toy-denoiser trajectories against the reference kit.
strata_diffusion_test(test_diffusion_samplers SOURCES test_schedules.cpp test_trajectories.cpp LIBS strata_diffusion_samplers)
