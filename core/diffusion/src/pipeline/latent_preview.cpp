#include "pipeline/latent_preview.h"

#include "models/loader.h"
#include "networks/latent_rgb.h"
#include "pipeline/image_tensor.h"
#include "safetensors_writer.h"
#include "strata/diffusion/pipeline.h"

namespace strata::diffusion {

doc::Image8 linear_preview(const torch::Tensor& latent, const std::vector<float>& projection) {
  auto rgb = apply_latent_rgb(latent.slice(0, 0, 1), projection);  // [1, 3, h, w] in [-1, 1]
  rgb = torch::upsample_nearest2d(rgb, {rgb.size(2) * 8, rgb.size(3) * 8});
  return tensor_to_image(rgb);
}

std::vector<float> fit_preview_projection(const std::filesystem::path& model) {
  try {
    c10::InferenceMode guard;
    auto loaded = load_model(model);
    return fit_latent_rgb(loaded.vae, loaded.config.vae.scale_factor);
  } catch (const c10::Error& e) {
    throw doc::Error(doc::ErrorCode::Runtime, model.filename().string() + ": fitting the preview projection: " + e.what_without_backtrace());
  }
}

void store_preview_projection(const std::filesystem::path& safetensors, const std::vector<float>& projection) {
  if (projection.size() != 15) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "preview projection: expected 15 numbers, found " + std::to_string(projection.size()));
  }
  set_safetensors_metadata(safetensors, {{kLatentRgbKey, latent_rgb_metadata(projection)}});
}

}  // namespace strata::diffusion
