# The generation pipeline: text conditioning, noise, img2img, CFG sampling, previews, decode.
strata_torch_part(strata_diffusion_pipeline
  SOURCES src/pipeline/pipeline.cpp src/pipeline/validate.cpp src/pipeline/text_conditioning.cpp
          src/pipeline/image_tensor.cpp src/pipeline/latent_preview.cpp src/pipeline/model_hash.cpp
          src/pipeline/tokenizer_lookup.cpp src/pipeline/strength_map.cpp src/pipeline/vae_codec.cpp
  DEPS strata_diffusion_models strata_diffusion_samplers strata_diffusion_prompt strata_diffusion_tokenizer
       strata_diffusion_networks strata_diffusion_unet)
