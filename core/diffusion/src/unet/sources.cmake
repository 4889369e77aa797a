# The denoising UNet (ldm UNetModel layout) and its spatial transformer.
strata_torch_part(strata_diffusion_unet
  SOURCES src/unet/unet.cpp src/unet/attention.cpp src/unet/ops.cpp
  DEPS strata_diffusion_base)
