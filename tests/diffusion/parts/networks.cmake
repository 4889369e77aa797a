# Networks part: CLIP text encoder, SD VAE, TAESD parity and name/shape tests.
strata_diffusion_test(test_diffusion_networks
  SOURCES test_clip_text_model.cpp test_vae.cpp test_taesd.cpp
  LIBS strata_diffusion_networks)
