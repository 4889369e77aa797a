// The generation loop: text conditioning, noise in diffusers' order, img2img start, CFG sampling,
// previews, VAE decode. Ref: diffusers v0.21.4 StableDiffusion(Img2Img)Pipeline (call order and
// noise recipe as documented in the reference kit's README).
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <thread>

#include "models/loader.h"
#include "cpu_threads.h"
#include "networks/latent_rgb.h"
#include "networks/taesd.h"
#include "pipeline/image_tensor.h"
#include "pipeline/latent_preview.h"
#include "pipeline/model_hash.h"
#include "pipeline/strength_map.h"
#include "pipeline/text_conditioning.h"
#include "pipeline/tokenizer_lookup.h"
#include "pipeline/vae_codec.h"
#include "samplers/sampler.h"
#include "strata/diffusion/pipeline.h"
#include "strata/doc/color_match.h"
#include "strata/doc/error.h"
#include "torch_tensors.h"

namespace strata::diffusion {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

torch::ScalarType compute_dtype(Precision p) {
  switch (p) {
    case Precision::BF16: return torch::kBFloat16;
    case Precision::FP16: return torch::kFloat16;
    case Precision::FP32: break;
  }
  return torch::kFloat32;
}

class PipelineImpl final : public Pipeline {
 public:
  explicit PipelineImpl(const PipelineOptions& o) : options_(o) {
    if (o.device == Device::CUDA && !torch::cuda::is_available()) {
      throw doc::Error(doc::ErrorCode::InvalidArgument, "--device cuda: this libtorch has no CUDA device available");
    }
    if (o.device == Device::CPU && o.precision == Precision::FP16) {
      throw doc::Error(doc::ErrorCode::InvalidArgument, "fp16 is for CUDA; on the CPU use fp32 or bf16");
    }
    configure_cpu_threads(o.threads);
    device_ = o.device == Device::CUDA ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    dtype_ = compute_dtype(o.precision);
    auto t0 = Clock::now();
    c10::InferenceMode guard;
    LoadOptions lo;
    lo.device = device_;
    lo.dtype = dtype_;
    lo.on_progress = o.on_load_progress;
    model_ = load_model(o.model, lo);
    if (o.prediction) {
      model_.config.override_prediction(*o.prediction);
    } else {
      probe_sd2_prediction(model_);
    }
    TokenizerChoice chosen;
    tokenizer_ = find_tokenizer(o.tokenizer, model_, &chosen);
    if (!o.taesd_decoder.empty()) load_taesd(o.taesd_decoder);
    choose_latent_rgb();
    summary_.config = model_.config;
    summary_.name = model_name(o.model);
    summary_.tokenizer = chosen.path;
    summary_.tokenizer_origin = chosen.origin;
    summary_.load_seconds = since(t0);
  }

  const ModelSummary& summary() const override { return summary_; }
  std::shared_ptr<const Tokenizer> tokenizer() const override { return tokenizer_; }

  const std::string& model_hash() override {
    if (!hash_ && std::filesystem::is_regular_file(options_.model)) {
      hash_ = sha256_file_hex(options_.model).substr(0, 10);
    }
    if (!hash_) hash_ = std::string();
    return *hash_;
  }

  std::vector<GeneratedImage> generate(const GenerationRequest& request, const GenerationHooks& hooks) override {
    validate_request(request);
    if (model_.config.variant == "refiner" && !request.init_image) {
      throw doc::Error(doc::ErrorCode::InvalidArgument,
                       summary_.name + " is an SDXL refiner: it refines an existing image. Give it an init image "
                                       "(-i, or a layer on the canvas) and a strength such as 0.3; generate from "
                                       "text with an SDXL base model");
    }
    try {
      c10::InferenceMode guard;
      const auto& mc = model_.config;
      TextEncoders encoders{model_.text_encoder, model_.text_encoder_2, mc.unet.adm_in_channels > 0};
      // diffusers' SDXL base pipelines: an empty negative prompt is all zeros (not the refiner's).
      const bool zero_negative = mc.family == ModelFamily::SDXL && mc.variant != "refiner" &&
                                 request.convention == Convention::Diffusers;
      auto cond = encode_prompts(encoders, *tokenizer_, request.prompt, request.negative_prompt, request.clip_skip,
                                 device_, zero_negative);
      const auto t_prepare = Clock::now();
      const Prepared prep = prepare(request);
      const double prepare_seconds = since(t_prepare);
      std::vector<GeneratedImage> out;
      for (int i = 0; i < request.batch_count; ++i) out.push_back(generate_one(request, prep, hooks, cond, i));
      out.front().seconds += prepare_seconds;  // the shared preparation is counted once, with the first image
      return out;
    } catch (const doc::Error&) {
      throw;
    } catch (const c10::Error& e) {
      throw doc::Error(doc::ErrorCode::Runtime, std::string("torch: ") + e.what_without_backtrace());
    }
  }

 private:
  // What every image of a batch shares: sizes, strength maps, the plan, the init image's posterior
  // moments, the per-pixel start levels, the inpainting channels and the paste-back mask. Computed
  // once per request (the VAE encode is the expensive part); only the noise differs per image.
  struct Prepared {
    ProcessingSize size;
    std::vector<int64_t> latent_shape;
    torch::Tensor strength;     // [1,1,h,w] at the processing size
    bool from_init = false;     // false: txt2img (no init image, or S ≡ 1)
    double s_max = 1.0;
    std::optional<Plan> plan;
    torch::Tensor post_mean, post_std;  // the init image's VAE posterior (from_init)
    torch::Tensor levels;       // per-latent-pixel start levels; undefined when all start together
    torch::Tensor extra;        // inpainting UNet channels; undefined for 4-channel models
    torch::Tensor paste;        // paste-back mask at the request's size (with an init image)
  };

  // Pixel inputs are brought to the processing size (scale before processing) here.
  Prepared prepare(const GenerationRequest& r) {
    Prepared p;
    const auto& vc = model_.config.vae;
    const int f = vc.downsample_factor();
    p.size = processing_size(r.width, r.height, model_.config.native_size, r.scale_before_processing);
    p.latent_shape = {1, vc.latent_channels, p.size.height / f, p.size.width / f};
    const torch::Tensor strength_full = strength_tensor(r);  // [1,1,H,W] at the request's size
    p.strength = resize_map(strength_full, p.size.width, p.size.height);
    p.s_max = decimal_strength(p.strength.max().item<float>());
    // S ≡ 1 repaints everything: the init image cannot matter, so this is txt2img (same noise).
    p.from_init = r.init_image && strength_full.min().item<float>() < 1.0f;

    PlanOptions po;
    po.sampler = r.sampler;
    po.schedule = r.schedule;
    po.convention = r.convention;
    po.steps = r.steps;
    po.prediction = model_.config.prediction;
    if (model_.config.leading_spacing && r.convention == Convention::Diffusers) po.spacing = TimestepSpacing::Leading;
    po.strength = p.from_init ? (r.strength_map ? p.s_max : r.strength) : 1.0;
    p.plan = make_plan(po);

    torch::Tensor image;
    if (p.from_init) {
      image = resize_image(image_to_tensor(*r.init_image), p.size.width, p.size.height);
      auto post = vae_encode(model_.vae, image, r.vae_tiling, device_, dtype_);
      p.post_mean = post.mean;
      p.post_std = post.std;
      // Differential diffusion: a latent pixel starts at its own level; before that it is the init
      // latent noised to the current level with the fixed initial noise.
      if (p.plan->steps_run() > 0) {
        p.levels = start_levels(*p.plan, latent_strength(p.strength, f));
        if (!(p.levels > p.plan->run.front().level).any().item<bool>()) p.levels = torch::Tensor();  // uniform start
      }
    }
    p.extra = inpaint_conditioning(image, p.strength, f, r.vae_tiling);
    if (r.init_image) p.paste = paste_mask(strength_full, r.mask_blur);
    return p;
  }

  // One image of the batch: noise in diffusers' order, sampling with per-pixel start levels,
  // decode, resize back, match colours at the seam, paste over the init image.
  GeneratedImage generate_one(const GenerationRequest& r, const Prepared& p, const GenerationHooks& hooks,
                              const Conditioning& cond, int index) {
    auto t_start = Clock::now();
    GeneratedImage result;
    result.seed = r.seed + index;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<std::uint64_t>(result.seed));
    const auto& vc = model_.config.vae;
    const Plan& plan = *p.plan;
    result.processed_width = p.size.width;
    result.processed_height = p.size.height;
    result.max_strength = static_cast<float>(p.s_max);

    torch::Tensor latents, init_latent, noise;
    if (p.from_init) {
      // Draw 1: the VAE posterior sample; draw 2: the noise added at the start level.
      auto eps = torch::randn(p.latent_shape, gen, torch::kFloat32);
      init_latent = (p.post_mean + p.post_std * eps) * vc.scale_factor;
      noise = torch::randn(p.latent_shape, gen, torch::kFloat32);
      latents = plan.steps_run() > 0 ? add_noise(plan, 0, init_latent, noise) : init_latent;
    } else {
      latents = torch::randn(p.latent_shape, gen, torch::kFloat32) * plan.init_noise_sigma;
    }
    result.steps_run = plan.steps_run();
    result.start_sigma = plan.start_sigma();
    result.start_timestep = static_cast<int>(std::lround(plan.start_timestep()));
    const torch::Tensor& levels = p.levels;
    const torch::Tensor& extra = p.extra;

    auto ctx = torch::cat({cond.uncond, cond.cond}, 0);  // diffusers order: [uncond, cond]
    torch::Tensor y_cond, y_both;  // SDXL's added conditioning: [1, adm] and [2, adm]
    if (model_.config.unet.adm_in_channels > 0) {
      auto [ids_uncond, ids_cond] = time_ids(r, p.size);
      auto y_uncond = model_.unet->added_conditioning(cond.uncond_pooled, ids_uncond);
      y_cond = model_.unet->added_conditioning(cond.cond_pooled, ids_cond).to(device_);
      y_both = torch::cat({y_uncond.to(device_), y_cond}, 0);
    }
    const bool cfg = r.cfg_scale != 1.0f;
    const double g = r.cfg_scale;
    double model_time = 0.0;  // UNet time within the current step
    ModelFn model = [&](const torch::Tensor& x_in, double t) {
      const auto t_model = Clock::now();
      auto x = x_in;
      if (extra.defined()) x = torch::cat({x, extra}, 1);
      x = x.to(device_, dtype_);
      torch::Tensor eps;
      if (cfg) {
        auto ts = torch::full({2}, t, torch::TensorOptions().dtype(torch::kFloat32).device(device_));
        auto e = model_.unet->forward(torch::cat({x, x}, 0), ts, ctx, y_both).to(torch::kFloat32);
        auto parts = e.chunk(2, 0);
        eps = parts[0] + g * (parts[1] - parts[0]);
      } else {
        auto ts = torch::full({1}, t, torch::TensorOptions().dtype(torch::kFloat32).device(device_));
        eps = model_.unet->forward(x, ts, cond.cond, y_cond).to(torch::kFloat32);
      }
      eps = eps.to(torch::kCPU);
      model_time += since(t_model);
      return eps;
    };

    StepHooks sh;
    auto t_step = Clock::now();
    sh.should_cancel = [&] { return hooks.should_cancel && hooks.should_cancel(); };
    if (levels.defined()) {
      sh.before_step = [&](int step, torch::Tensor& x) {
        const auto waiting = levels > plan.run[static_cast<std::size_t>(step)].level;
        x = torch::where(waiting, add_noise(plan, step, init_latent, noise), x);
      };
    }
    sh.after_step = [&](int step, int total, const torch::Tensor& x, const torch::Tensor& x0) {
      (void)x;
      double dt = since(t_step);
      result.step_seconds.push_back(dt);
      result.model_seconds.push_back(model_time);
      model_time = 0.0;
      t_step = Clock::now();
      if (hooks.on_progress) hooks.on_progress({index, step + 1, total, dt});
      if (hooks.on_preview && hooks.preview_every > 0 && ((step + 1) % hooks.preview_every == 0 || step + 1 == total)) {
        hooks.on_preview({index, step + 1, preview_of(x0)});
      }
    };
    latents = sample(plan, latents, model, gen, sh);
    if (levels.defined()) {
      // Pixels whose start level was never reached keep the clean init latent.
      latents = torch::where(levels > plan.run.back().level, init_latent, latents);
    }
    if (hooks.should_cancel && hooks.should_cancel()) {
      throw doc::Error(doc::ErrorCode::Cancelled, "cancelled before decoding");
    }
    auto t_dec = Clock::now();
    auto decoded = vae_decode(model_.vae, latents, r.vae_tiling, device_, dtype_);
    result.image = tensor_to_image(resize_image(decoded, r.width, r.height));
    result.decode_seconds = since(t_dec);
    if (r.init_image) {
      // Colour match needs both S = 0 and S > 0 pixels (a seam); it never changes S = 0 pixels.
      if (r.color_match && r.strength_map) doc::match_colors(*r.init_image, result.image, *r.strength_map);
      result.image = paste_back(*r.init_image, result.image, p.paste);
    }
    result.seconds = since(t_start);
    return result;
  }

  // SDXL's size/crop (base) or size/crop/aesthetic (refiner) ids, height before width; sizes default
  // to the size generated (img2img: the init latent's size, the same here). → {uncond, cond} [1, n]
  std::pair<torch::Tensor, torch::Tensor> time_ids(const GenerationRequest& r, const ProcessingSize& size) const {
    const auto& sc = r.size_conditioning;
    auto or_default = [](int v, int d) { return static_cast<float>(v > 0 ? v : d); };
    const float oh = or_default(sc.original_height, size.height), ow = or_default(sc.original_width, size.width);
    const float top = static_cast<float>(sc.crop_top), left = static_cast<float>(sc.crop_left);
    std::vector<float> cond{oh, ow, top, left}, uncond;
    if (model_.config.unet.adm_time_ids == 5) {
      uncond = cond;
      cond.push_back(static_cast<float>(r.aesthetic_score));
      uncond.push_back(static_cast<float>(r.negative_aesthetic_score));
    } else {
      cond.push_back(or_default(sc.target_height, size.height));
      cond.push_back(or_default(sc.target_width, size.width));
      uncond = cond;
    }
    return {torch::tensor(uncond).unsqueeze(0), torch::tensor(cond).unsqueeze(0)};
  }

  // Inpainting checkpoints (9-channel UNet) take [mask, masked-image latent] as extra input
  // channels (diffusers and A1111 order): mask = 1 where anything is repainted; the masked image is
  // the init image with repainted pixels set to 0 (mid grey), encoded to its posterior mean.
  // Without an init image everything is repainted over a grey image. Undefined for 4-channel models.
  torch::Tensor inpaint_conditioning(const torch::Tensor& image, const torch::Tensor& strength, int f, VaeTiling tiling) {
    const int extra = model_.config.unet.in_channels - model_.config.vae.latent_channels;
    if (extra <= 0) return {};
    auto mask = latent_repaint_mask(strength, f);
    auto keep = (strength <= 0).to(torch::kFloat32);
    auto masked = image.defined() ? image * keep : torch::zeros({1, 3, strength.size(2), strength.size(3)});
    auto latent = vae_encode(model_.vae, masked, tiling, device_, dtype_).mean * model_.config.vae.scale_factor;
    auto cat = torch::cat({mask, latent}, 1);
    if (cat.size(1) != extra) {
      throw doc::Error(doc::ErrorCode::UnsupportedModel,
                       summary_.name + ": UNet takes " + std::to_string(model_.config.unet.in_channels) +
                           " input channels; only 4 (plain) or 9 (inpainting) are supported");
    }
    return cat;
  }

  doc::Image8 preview_of(const torch::Tensor& x0) {
    if (taesd_) {
      auto rgb = (*taesd_)->forward(x0.to(device_, dtype_)).to(torch::kFloat32);
      return unit_tensor_to_image(rgb);
    }
    return linear_preview(x0, latent_rgb_);
  }

  // The linear preview's projection (networks/latent_rgb.h: stored → family table → fitted now).
  void choose_latent_rgb() {
    if (taesd_) return;
    const auto t0 = Clock::now();
    PreviewProjection chosen = preview_projection(model_.vae);
    latent_rgb_ = std::move(chosen.rgb);
    if (chosen.source.empty()) {
      model_.config.notes.push_back("preview colours: latent→RGB projection fitted on this VAE at load (" +
                                    std::to_string(static_cast<int>(since(t0) * 1000)) + " ms)");
    } else {
      model_.config.notes.push_back("preview colours: latent→RGB projection " +
                                    (chosen.source == "stored" ? std::string("stored in the model file")
                                                               : "of the " + chosen.source + " VAE family"));
    }
  }

  void load_taesd(const std::filesystem::path& path) {
    auto index = TensorIndex::open(path);
    TAESDDecoder dec(TAESDConfig{}, torch::TensorOptions().dtype(dtype_).device(device_));
    copy_named_weights(*dec, index, path);
    taesd_ = dec;
  }

  PipelineOptions options_;
  torch::Device device_{torch::kCPU};
  torch::ScalarType dtype_ = torch::kFloat32;
  LoadedModel model_;
  std::shared_ptr<const Tokenizer> tokenizer_;
  std::optional<TAESDDecoder> taesd_;
  std::vector<float> latent_rgb_;  // the linear preview's projection
  ModelSummary summary_;
  std::optional<std::string> hash_;
};

}  // namespace

std::unique_ptr<Pipeline> Pipeline::load(const PipelineOptions& options) {
  try {
    return std::make_unique<PipelineImpl>(options);
  } catch (const doc::Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw doc::Error(doc::ErrorCode::Runtime, std::string("torch: ") + e.what_without_backtrace());
  }
}

std::string_view to_string(Device d) { return doc::id_of(kDevices, d); }
std::string_view to_string(Precision p) { return doc::id_of(kPrecisions, p); }
Device parse_device(std::string_view name) { return doc::parse_named(kDevices, name, "device"); }
Precision parse_precision(std::string_view name) { return doc::parse_named(kPrecisions, name, "precision"); }

}  // namespace strata::diffusion
