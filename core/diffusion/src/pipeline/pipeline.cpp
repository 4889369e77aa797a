// The generation loop: text conditioning, noise in diffusers' order, img2img start, CFG sampling,
// previews, VAE decode. Ref: diffusers v0.21.4 StableDiffusion(Img2Img)Pipeline (call order and
// noise recipe as documented in the reference kit's README).
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "models/loader.h"
#include "cpu_threads.h"
#include "networks/taesd.h"
#include "pipeline/image_tensor.h"
#include "pipeline/latent_preview.h"
#include "pipeline/model_hash.h"
#include "pipeline/text_conditioning.h"
#include "pipeline/tokenizer_lookup.h"
#include "samplers/sampler.h"
#include "strata/diffusion/pipeline.h"
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
    model_ = load_model(o.model, lo);
    tokenizer_ = find_tokenizer(o.tokenizer, model_);
    if (!o.taesd_decoder.empty()) load_taesd(o.taesd_decoder);
    summary_.config = model_.config;
    summary_.name = o.model.filename().string();
    if (summary_.name.empty()) summary_.name = o.model.parent_path().filename().string();
    summary_.load_seconds = since(t0);
  }

  const ModelSummary& summary() const override { return summary_; }

  const std::string& model_hash() override {
    if (!hash_ && std::filesystem::is_regular_file(options_.model)) {
      hash_ = sha256_file_hex(options_.model).substr(0, 10);
    }
    if (!hash_) hash_ = std::string();
    return *hash_;
  }

  std::vector<GeneratedImage> generate(const GenerationRequest& request, const GenerationHooks& hooks) override {
    validate_request(request);
    if (model_.config.unet.in_channels != 4) {
      throw doc::Error(doc::ErrorCode::UnsupportedModel,
                       summary_.name + ": inpainting checkpoints (" + std::to_string(model_.config.unet.in_channels) +
                           "-channel UNet) need a mask; plain txt2img/img2img needs a 4-channel model");
    }
    try {
      c10::InferenceMode guard;
      auto cond = encode_prompts(model_.text_encoder, *tokenizer_, request.prompt, request.negative_prompt,
                                 request.clip_skip, device_);
      std::vector<GeneratedImage> out;
      for (int i = 0; i < request.batch_count; ++i) out.push_back(generate_one(request, hooks, cond, i));
      return out;
    } catch (const doc::Error&) {
      throw;
    } catch (const c10::Error& e) {
      throw doc::Error(doc::ErrorCode::Runtime, std::string("torch: ") + e.what_without_backtrace());
    }
  }

 private:
  GeneratedImage generate_one(const GenerationRequest& r, const GenerationHooks& hooks, const Conditioning& cond,
                              int index) {
    auto t_start = Clock::now();
    GeneratedImage result;
    result.seed = r.seed + index;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<std::uint64_t>(result.seed));
    const auto& vc = model_.config.vae;
    const int f = vc.downsample_factor();
    const std::vector<int64_t> latent_shape{1, vc.latent_channels, r.height / f, r.width / f};

    PlanOptions po;
    po.sampler = r.sampler;
    po.schedule = r.schedule;
    po.convention = r.convention;
    po.steps = r.steps;
    po.prediction = model_.config.prediction;
    po.strength = r.init_image ? static_cast<double>(r.strength) : 1.0;
    const Plan plan = make_plan(po);
    torch::Tensor latents;
    if (r.init_image) {
      // Draw 1: the VAE posterior sample; draw 2: the noise added at the start level.
      auto image = image_to_tensor(*r.init_image).to(device_, dtype_);
      auto post = AutoencoderKLImpl::split_moments(model_.vae->encode_moments(image).to(torch::kFloat32));
      auto eps = torch::randn(latent_shape, gen, torch::kFloat32);
      auto init = (post.mean.cpu() + post.std.cpu() * eps) * vc.scale_factor;
      auto noise = torch::randn(latent_shape, gen, torch::kFloat32);
      latents = plan.steps_run() > 0 ? add_noise(plan, 0, init, noise) : init;
    } else {
      latents = torch::randn(latent_shape, gen, torch::kFloat32) * plan.init_noise_sigma;
    }
    result.steps_run = plan.steps_run();
    result.start_sigma = plan.start_sigma();
    result.start_timestep = static_cast<int>(std::lround(plan.start_timestep()));

    auto ctx = torch::cat({cond.uncond, cond.cond}, 0);  // diffusers order: [uncond, cond]
    const bool cfg = r.cfg_scale != 1.0f;
    const double g = r.cfg_scale;
    double model_time = 0.0;  // UNet time within the current step
    ModelFn model = [&](const torch::Tensor& x_in, double t) {
      const auto t_model = Clock::now();
      auto x = x_in.to(device_, dtype_);
      torch::Tensor eps;
      if (cfg) {
        auto ts = torch::full({2}, t, torch::TensorOptions().dtype(torch::kFloat32).device(device_));
        auto e = model_.unet->forward(torch::cat({x, x}, 0), ts, ctx).to(torch::kFloat32);
        auto parts = e.chunk(2, 0);
        eps = parts[0] + g * (parts[1] - parts[0]);
      } else {
        auto ts = torch::full({1}, t, torch::TensorOptions().dtype(torch::kFloat32).device(device_));
        eps = model_.unet->forward(x, ts, cond.cond).to(torch::kFloat32);
      }
      eps = eps.to(torch::kCPU);
      model_time += since(t_model);
      return eps;
    };

    StepHooks sh;
    auto t_step = Clock::now();
    sh.should_cancel = [&] { return hooks.should_cancel && hooks.should_cancel(); };
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
    if (hooks.should_cancel && hooks.should_cancel()) {
      throw doc::Error(doc::ErrorCode::Cancelled, "cancelled before decoding");
    }
    auto t_dec = Clock::now();
    auto decoded = model_.vae->decode((latents / vc.scale_factor).to(device_, dtype_));
    result.image = tensor_to_image(decoded);
    result.decode_seconds = since(t_dec);
    result.seconds = since(t_start);
    return result;
  }

  doc::Image8 preview_of(const torch::Tensor& x0) {
    if (taesd_) {
      auto rgb = (*taesd_)->forward(x0.to(device_, dtype_)).to(torch::kFloat32);
      return unit_tensor_to_image(rgb);
    }
    return linear_preview(x0);
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
  std::unique_ptr<Tokenizer> tokenizer_;
  std::optional<TAESDDecoder> taesd_;
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

std::string_view to_string(Device d) { return d == Device::CUDA ? "cuda" : "cpu"; }
std::string_view to_string(Precision p) {
  switch (p) {
    case Precision::BF16: return "bf16";
    case Precision::FP16: return "fp16";
    case Precision::FP32: break;
  }
  return "fp32";
}

}  // namespace strata::diffusion
