// strata/diffusion/pipeline.h — one loaded model and the generation loop (torch-free header).
//
// A GenerationRequest is a complete value: pixels are copied in, nothing points back into a
// document. Pipeline::generate() runs on the calling thread (the UI's worker thread or the CLI's
// main thread); hooks are passed per call and called on that same thread. A Pipeline is not safe to
// use from two threads at once; it may be created on one thread and used on another.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/diffusion/model_config.h"
#include "strata/diffusion/sampler_options.h"
#include "strata/diffusion/tokenizer.h"
#include "strata/doc/image.h"
#include "strata/doc/names.h"

namespace strata::diffusion {

enum class Device { CPU, CUDA };
enum class Precision { FP32, BF16, FP16 };

// The one name table of each (strata/doc/names.h): CLI values, settings, metadata, combo boxes.
inline constexpr std::array<doc::Named<Device>, 2> kDevices{{
    {Device::CPU, "cpu", "CPU"},
    {Device::CUDA, "cuda", "CUDA (NVIDIA GPU)"},
}};
inline constexpr std::array<doc::Named<Precision>, 3> kPrecisions{{
    {Precision::FP32, "fp32", "fp32 (exact, CPU default)"},
    {Precision::BF16, "bf16", "bf16"},
    {Precision::FP16, "fp16", "fp16 (CUDA)"},
}};
// VAE encode/decode in overlapping tiles with blended seams (large images within this machine's
// memory): Auto tiles above a size, On always, Off never.
enum class VaeTiling { Auto, On, Off };
inline constexpr std::array<doc::Named<VaeTiling>, 3> kVaeTilings{{
    {VaeTiling::Auto, "auto", "Automatic (large images)"},
    {VaeTiling::On, "on", "Always"},
    {VaeTiling::Off, "off", "Never"},
}};
std::string_view to_string(Device d);
std::string_view to_string(Precision p);
// Throw doc::Error(InvalidArgument) naming the value and listing the valid ones.
Device parse_device(std::string_view name);
Precision parse_precision(std::string_view name);

// Whether bf16 matrix products on the device sum in fp32 (CUDA; CPUs where libtorch's oneDNN has
// bf16 kernels, i.e. AVX-512). Where they sum in bf16 (Debian's libtorch on AVX2-only CPUs) bf16 is
// ~10× less accurate than the weights' own rounding, and far slower than fp32: use fp32 there.
// Measured once per device type with a small product; a CUDA query needs a CUDA device.
bool bf16_sums_in_fp32(Device d);

struct PipelineOptions {
  std::filesystem::path model;              // .safetensors file or diffusers folder
  std::filesystem::path tokenizer;          // explicit override for this model (a folder with vocab.json +
                                            // merges.txt or tokenizer.model, a .model, the .txt.gz); empty:
                                            // the model's own (strata/diffusion/model_tokenizer.h)
  std::filesystem::path taesd_decoder;      // optional TAESD decoder weights for previews
  Device device = Device::CPU;
  Precision precision = Precision::FP32;
  int threads = 0;                          // intra-op threads; 0 = all cores
  // The user's prediction type for this model (CLI --prediction, the GUI's model settings); unset:
  // detected (model_config.h). Overriding a type the model states itself is obeyed, with a note.
  std::optional<Prediction> prediction;
  // Optional: called on the loading thread with the share of the weights loaded (0..1).
  std::function<void(double)> on_load_progress;
};

// SDXL's size conditioning (diffusers' add_time_ids), in pixels. 0 = diffusers' default: original
// and target size = the size generated (H, W), crop (0, 0). Ignored by models without it.
struct SizeConditioning {
  int original_width = 0;
  int original_height = 0;
  int crop_left = 0;
  int crop_top = 0;
  int target_width = 0;
  int target_height = 0;
  bool operator==(const SizeConditioning&) const = default;
};

struct GenerationRequest {
  std::string prompt;
  std::string negative_prompt;
  int width = 512;                          // multiples of 8, 64..4096
  int height = 512;
  int steps = 20;                           // 1..1000
  float cfg_scale = 7.5f;                   // finite; 1 disables the unconditional pass
  SamplerKind sampler = SamplerKind::Euler;
  ScheduleKind schedule = ScheduleKind::Normal;
  Convention convention = Convention::Diffusers;
  std::int64_t seed = 42;
  int batch_count = 1;                      // images seed, seed+1, …
  int clip_skip = 1;                        // A1111 meaning: 1 = last layer
  std::optional<doc::Image8> init_image;    // RGB, width × height (img2img, inpainting, outpainting)
  double strength = 1.0;                    // img2img denoising strength in [0,1] (diffusers rule:
                                            // a double, so 0.7 · 10 steps = 7 as in Python)
  // Per-pixel denoising strength S (DESIGN.md §3): 1 channel, width × height, values in [0,1].
  // Overrides `strength`. Sampling starts at max S; a pixel of strength S_p joins once the schedule
  // reaches its own start (until then it is re-noised from the init latent with the fixed initial
  // noise); pixels with S = 0 keep the init image. A uniform map equals img2img at that strength;
  // values below 1 need an init image.
  std::optional<doc::ImageF> strength_map;
  // Paste-back: the result is blended over the init image with the mask (S > 0), blurred by a
  // Gaussian of this σ in pixels (A1111's "mask blur"); 0 = hard edge, so S = 0 pixels stay exact.
  int mask_blur = 4;
  // Colour match at the seam (strata/doc/color_match.h), after decoding and before paste-back: the
  // repainted pixels' LAB statistics near the seam are matched to the kept original's. Applies
  // only with an init image and a strength map holding both S = 0 and S > 0 pixels, so plain
  // txt2img/img2img are unaffected and S = 0 pixels stay exact.
  bool color_match = true;
  // Generate at about the model's native size (same aspect ratio) and resize the result back, as
  // InvokeAI's canvas does. The canvas and `--project` turn it on; plain generation keeps the
  // requested size so that seeds reproduce diffusers.
  bool scale_before_processing = false;
  SizeConditioning size_conditioning;       // SDXL base / refiner
  double aesthetic_score = 6.0;             // SDXL refiner only (diffusers' defaults)
  double negative_aesthetic_score = 2.5;
  VaeTiling vae_tiling = VaeTiling::Auto;
};

struct Progress {
  int image_index = 0;                      // 0-based within the batch
  int step = 0;                             // steps done in this image
  int total_steps = 0;                      // steps this image runs
  double seconds_per_step = 0.0;
};

struct Preview {
  int image_index = 0;
  int step = 0;
  doc::Image8 image;                        // RGB, the predicted x0 (linear projection or TAESD)
};

struct GenerationHooks {
  std::function<void(const Progress&)> on_progress;
  std::function<void(const Preview&)> on_preview;  // only computed when set
  int preview_every = 1;                    // steps between previews
  std::function<bool()> should_cancel;      // checked before each step and before decoding
};

struct GeneratedImage {
  doc::Image8 image;                        // RGB
  std::int64_t seed = 0;
  int steps_run = 0;                        // sampler steps actually run
  int start_timestep = 0;                   // first timestep of the run (rounded)
  double start_sigma = 0.0;                 // σ at the first step
  float max_strength = 1.0f;                // max S: the strength the run started from
  int processed_width = 0;                  // size actually generated (≠ image size when scaled)
  int processed_height = 0;
  double seconds = 0.0;                     // whole image: encode, sampling, decode
  double decode_seconds = 0.0;              // VAE decode alone
  std::vector<double> step_seconds;         // wall time of each sampler step
  std::vector<double> model_seconds;        // of which spent in the UNet (all its calls that step)
};

struct ModelSummary {
  ModelConfig config;
  std::string name;                         // file or folder name
  std::filesystem::path tokenizer;          // the tokenizer used, and how it was found
  std::string tokenizer_origin;             // (TokenizerChoice::origin)
  double load_seconds = 0.0;
};

class Pipeline {
 public:
  // Loads model and tokenizer. Throws doc::Error naming the culprit file.
  static std::unique_ptr<Pipeline> load(const PipelineOptions& options);
  virtual ~Pipeline() = default;

  // Validates the request (doc::Error InvalidArgument naming the field) and generates every image
  // of the batch. Throws doc::Error(Cancelled) when should_cancel() answered true.
  virtual std::vector<GeneratedImage> generate(const GenerationRequest& request,
                                               const GenerationHooks& hooks = {}) = 0;
  virtual const ModelSummary& summary() const = 0;
  // The tokenizer the pipeline encodes prompts with (immutable; safe from any thread, e.g. for a
  // token counter).
  virtual std::shared_ptr<const Tokenizer> tokenizer() const = 0;
  // A1111's short model hash (first 10 hex digits of the file's SHA-256); computed on first call
  // (reads the whole file), empty for diffusers folders.
  virtual const std::string& model_hash() = 0;
};

// Checks a request without a model (sizes, steps, strength, cfg, image sizes, SDXL size conditioning
// and aesthetic scores). Throws doc::Error.
void validate_request(const GenerationRequest& request);

// The live preview's latent→RGB projection fitted by least squares on the model's own VAE (15
// numbers: a 4×3 matrix, rows = UNet-space latent channels, columns = R, G, B, then the bias).
// Loads the model on the CPU in fp32. Throws doc::Error like Pipeline::load.
std::vector<float> fit_preview_projection(const std::filesystem::path& model);
// Stores `projection` in a .safetensors file's __metadata__ ("strata.preview.latent_rgb"), where
// the pipeline reads it; only the header is rewritten, the weights stay byte-identical.
void store_preview_projection(const std::filesystem::path& safetensors, const std::vector<float>& projection);

}  // namespace strata::diffusion
