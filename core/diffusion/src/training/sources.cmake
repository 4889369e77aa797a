# Training the embedded model (strata-train): VAE, then text encoder + UNet, on procedural scenes
# (strata_scenes); checkpoints, resume, export as one SD-layout single file.
strata_torch_part(strata_diffusion_training
  SOURCES
    src/training/init.cpp
    src/training/optim.cpp
    src/training/scene_batches.cpp
    src/training/latent_cache.cpp
    src/training/text_pretrain.cpp
    src/training/state.cpp
    src/training/vae_stage.cpp
    src/training/ldm_stage.cpp
    src/training/train.cpp
  DEPS strata_diffusion_pipeline strata_diffusion_models strata_diffusion_samplers strata_diffusion_prompt strata_diffusion_tokenizer
       strata_diffusion_networks strata_diffusion_unet strata_scenes)
