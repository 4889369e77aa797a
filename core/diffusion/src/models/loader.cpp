// Weight loading: names and shapes checked on the meta device, then one copy per tensor.
#include "models/loader.h"

#include <functional>
#include <map>
#include <set>

#include "models/detect_util.h"
#include "strata/doc/error.h"
#include "torch_tensors.h"

namespace strata::diffusion {

using doc::Error;
using doc::ErrorCode;

namespace {

constexpr std::string_view kDDPMBuffers[] = {
    "betas",
    "alphas_cumprod",
    "alphas_cumprod_prev",
    "sqrt_alphas_cumprod",
    "sqrt_one_minus_alphas_cumprod",
    "log_one_minus_alphas_cumprod",
    "sqrt_recip_alphas_cumprod",
    "sqrt_recipm1_alphas_cumprod",
    "posterior_variance",
    "posterior_log_variance_clipped",
    "posterior_mean_coef1",
    "posterior_mean_coef2",
};

struct Modules {
  CLIPTextModel text{nullptr};
  CLIPTextModel text2{nullptr};
  AutoencoderKL vae{nullptr};
  UNetModel unet{nullptr};

  // A module and how its parameter names become checkpoint keys (mostly prefix + name).
  struct Component {
    std::function<std::string(const std::string&)> key;
    torch::nn::Module* module;
  };

  // In checkpoint key order.
  std::vector<Component> components() const {
    auto text_keys = [](const CLIPTextModel& m) {
      return [m](const std::string& name) { return m->checkpoint_key(name); };
    };
    auto prefixed = [](std::string prefix) { return [prefix](const std::string& name) { return prefix + name; }; };
    std::vector<Component> out{{text_keys(text), text.ptr().get()}};
    if (text2) out.push_back({text_keys(text2), text2.ptr().get()});
    out.push_back({prefixed(kVAEPrefix), vae.ptr().get()});
    out.push_back({prefixed(kUNetPrefix), unet.ptr().get()});
    return out;
  }
};

Modules build(const ModelConfig& config, const torch::TensorOptions& options) {
  Modules m{CLIPTextModel(config.text, options), nullptr, AutoencoderKL(config.vae, options),
            UNetModel(config.unet, options)};
  if (config.text2) m.text2 = CLIPTextModel(*config.text2, options);
  return m;
}

// Per tensor, the file it lives in as messages name it: "model.safetensors" for single files,
// "unet/diffusion_pytorch_model.safetensors" inside diffusers folders.
class FileNames {
 public:
  explicit FileNames(const models::ModelSource& source) : source_(source) {
    // TensorIndex::files() lists paths in order of first appearance; pair them with the mappings.
    auto paths = source.index.files();
    std::size_t next = 0;
    for (const auto& t : source.index.tensors()) {
      if (t.file && names_.count(t.file.get()) == 0 && next < paths.size()) {
        const auto& p = paths[next++];
        names_[t.file.get()] = source.kind == models::SourceKind::DiffusersFolder
                                   ? p.parent_path().filename().string() + "/" + p.filename().string()
                                   : p.filename().string();
      }
    }
  }
  std::string of(const TensorInfo& info) const {
    auto it = names_.find(info.file.get());
    std::string where = it == names_.end() ? source_.name() : it->second;
    if (info.file_key != info.name && !info.file_key.empty()) where += " (stored as " + info.file_key + ")";
    return where;
  }

 private:
  const models::ModelSource& source_;
  std::map<const MappedFile*, std::string> names_;
};

std::vector<std::int64_t> shape_of(const torch::Tensor& t) { return t.sizes().vec(); }

[[noreturn]] void throw_problems(const models::ModelSource& source, const std::vector<TensorProblem>& problems) {
  if (problems.size() == 1) throw Error(problems.front().kind, problems.front().message);
  std::size_t missing = 0, unexpected = 0, mismatched = 0;
  for (const auto& p : problems) {
    missing += p.kind == ErrorCode::MissingTensor;
    unexpected += p.kind == ErrorCode::UnexpectedTensor;
    mismatched += p.kind == ErrorCode::ShapeMismatch;
  }
  std::string msg = source.name() + ": " + std::to_string(problems.size()) + " tensor problems (" +
                    std::to_string(missing) + " missing, " + std::to_string(unexpected) + " unexpected, " +
                    std::to_string(mismatched) + " with the wrong shape):";
  for (const auto& p : problems) msg += "\n  " + p.message;
  throw Error(problems.front().kind, msg);
}

}  // namespace

bool is_ignored_key(std::string_view key) {
  constexpr std::string_view position_ids = ".position_ids";
  if (key.size() >= position_ids.size() && key.substr(key.size() - position_ids.size()) == position_ids) return true;
  if (key.substr(0, 10) == "model_ema.") return true;
  constexpr std::string_view logit_scale = "logit_scale";  // OpenCLIP's contrastive temperature
  if (key.size() >= logit_scale.size() && key.substr(key.size() - logit_scale.size()) == logit_scale) return true;
  if (key == "denoiser.sigmas") return true;  // sgm's copy of the noise schedule
  for (auto b : kDDPMBuffers) {
    if (key == b) return true;
  }
  return false;
}

std::vector<TensorProblem> check_tensors(const models::ModelSource& source, const ModelConfig& config) {
  const Modules meta = build(config, torch::TensorOptions().device(torch::kMeta).dtype(torch::kFloat32));
  const FileNames files(source);
  std::vector<TensorProblem> problems;
  std::set<std::string, std::less<>> claimed;
  for (const auto& [key_of, module] : meta.components()) {
    for (const auto& p : module->named_parameters(true)) {
      const std::string key = key_of(p.key());
      const auto expected = shape_of(p.value());
      const TensorInfo* info = source.index.find(key);
      if (info == nullptr) {
        problems.push_back({ErrorCode::MissingTensor, key + ": expected " + models::shape_string(expected) +
                                                          ", missing from " + source.name()});
        continue;
      }
      claimed.insert(key);
      if (info->shape != expected) {
        problems.push_back({ErrorCode::ShapeMismatch, key + ": expected " + models::shape_string(expected) + ", found " +
                                                          models::shape_string(info->shape) + " in " + files.of(*info)});
      }
    }
  }
  for (const auto& t : source.index.tensors()) {
    if (claimed.count(t.name) != 0 || is_ignored_key(t.name)) continue;
    problems.push_back({ErrorCode::UnexpectedTensor, t.name + ": unexpected tensor " + models::shape_string(t.shape) +
                                                         " in " + files.of(t) + " (no module of the detected " +
                                                         std::string(to_string(config.family)) + " " + config.variant +
                                                         " architecture uses it)"});
  }
  return problems;
}

LoadedModel load_model(const models::ModelSource& source, const ModelConfig& config, const LoadOptions& options) {
  if (!config.supported) throw Error(ErrorCode::UnsupportedModel, source.name() + ": " + config.reason);
  try {
    auto problems = check_tensors(source, config);
    if (!problems.empty()) throw_problems(source, problems);

    LoadedModel out;
    out.config = config;
    out.path = source.path;
    out.tokenizer_dir = source.tokenizer_dir;
    const Modules m = build(config, torch::TensorOptions().device(options.device).dtype(options.dtype));
    torch::NoGradGuard no_grad;
    std::uint64_t total = 0, done = 0;
    double reported = 0.0;
    const auto components = m.components();
    for (const auto& [key_of, module] : components) {
      for (auto& p : module->named_parameters(true)) total += source.index.find(key_of(p.key()))->byte_size();
    }
    for (const auto& [key_of, module] : components) {
      for (auto& p : module->named_parameters(true)) {
        const TensorInfo& info = *source.index.find(key_of(p.key()));
        p.value().copy_(view(info));   // dtype conversion (and host → device) in one pass
        TensorIndex::release(info);    // drop the file pages from RSS
        done += info.byte_size();
        const double share = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
        if (options.on_progress && (share - reported >= 0.01 || done == total)) {
          reported = share;
          options.on_progress(share);
        }
        out.parameter_bytes += static_cast<std::uint64_t>(p.value().numel()) * p.value().element_size();
      }
      module->eval();
    }
    out.text_encoder = m.text;
    out.text_encoder_2 = m.text2;
    out.vae = m.vae;
    out.unet = m.unet;
    return out;
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Error(ErrorCode::Runtime, "loading " + source.name() + ": " + e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::Runtime, "loading " + source.name() + ": out of memory");
  } catch (const std::exception& e) {
    throw Error(ErrorCode::Runtime, "loading " + source.name() + ": " + e.what());
  }
}

void probe_sd2_prediction(LoadedModel& model) {
  auto& c = model.config;
  if (c.family != ModelFamily::SD2 || c.prediction_from_hint || c.prediction_from_user || c.unet.in_channels != 4) {
    return;
  }
  c10::InferenceMode guard;
  const auto p = *model.unet->parameters().begin();
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(p.device());
  auto x = torch::full({1, 4, 8, 8}, 0.5, opts);
  auto ctx = torch::full({1, 77, c.unet.context_dim}, 0.5, opts);
  const double mean = (model.unet->forward(x, torch::full({1}, 999.0, opts), ctx) - x).mean().item<double>();
  c.prediction = mean < -1.0 ? Prediction::VPrediction : Prediction::Epsilon;
  if (!c.native_size_from_hint) c.native_size = c.prediction == Prediction::VPrediction ? 768 : 512;
  c.notes.push_back("prediction type " + std::string(to_string(c.prediction)) +
                    " measured (AUTOMATIC1111's probe: mean(UNet(0.5) − 0.5) at t=999 is " + std::to_string(mean) +
                    (c.prediction == Prediction::VPrediction ? " < −1" : " ≥ −1") + "); override with --prediction");
}

LoadedModel load_model(const std::filesystem::path& path, const LoadOptions& options) {
  const models::ModelSource source = models::open_model_source(path);
  const ModelConfig config = ModelConfig::detect(source.index, source.hints);
  return load_model(source, config, options);
}

}  // namespace strata::diffusion
