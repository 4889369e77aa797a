# UNet: parity with the tiny SD1.5 reference cases, manifest names/shapes, bf16.
strata_diffusion_test(test_diffusion_unet SOURCES test_unet.cpp LIBS strata_diffusion_unet)
