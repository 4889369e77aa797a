# Networks: CLIP text encoder, SD VAE (AutoencoderKL, ldm layout), TAESD. Parameter names are the
# single-file checkpoint keys (see each header).
strata_torch_part(strata_diffusion_networks
  SOURCES
    src/networks/clip_text_model.cpp
    src/networks/vae.cpp
    src/networks/taesd.cpp
    src/networks/latent_rgb.cpp
  DEPS strata_diffusion_base)
