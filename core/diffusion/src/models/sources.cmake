# Models: detection, the diffusers name table, model sources (file / diffusers folder), the weight
# loader and inspection (strata/diffusion/model_info.h).
strata_torch_part(strata_diffusion_models
  SOURCES
    src/models/detect.cpp
    src/models/hints.cpp
    src/models/diffusers_names.cpp
    src/models/model_source.cpp
    src/models/loader.cpp
    src/models/model_info.cpp
  DEPS strata_diffusion_base strata_diffusion_networks strata_diffusion_unet)
