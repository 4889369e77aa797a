// strata-cli generate — txt2img / img2img from the command line, flags an sd.cpp user would guess.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <random>

#include "commands.h"
#include "common.h"
#include "generation_io.h"
#include "progress_bar.h"
#include "project_generate.h"
#include "strata/diffusion/model_info.h"
#include "strata/diffusion/pipeline.h"
#include "strata/doc/strength.h"
#include "strata/io/image_codec.h"

namespace strata::cli {

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted.store(true); }

struct GenerateArgs {
  diffusion::PipelineOptions pipe;
  diffusion::GenerationRequest req;
  std::string sampler = "euler", schedule = "normal", convention = "diffusers";
  std::string device = "cpu", precision = "fp32";
  std::string init_img, mask, strength_map, output = "output.png", preview_path, project;
  CLI::App* cmd = nullptr;  // to ask which options were given
  bool no_scale = false;
  int preview_every = 0;
  int mask_blur = 4;
  std::string infill = "telea";
  bool random_seed = false;
};

std::filesystem::path numbered(const std::filesystem::path& out, int index, int count) {
  if (count <= 1) return out;
  auto stem = out.stem().string() + "_" + std::to_string(index);
  return out.parent_path() / (stem + out.extension().string());
}

// A mask or strength-map file must match the request's size.
doc::Image8 read_aux_image(const std::string& path, const char* what, const diffusion::GenerationRequest& req) {
  auto img = io::read_image(path);
  if (img.width != req.width || img.height != req.height) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     std::string(what) + " " + path + " is " + std::to_string(img.width) + "x" +
                         std::to_string(img.height) + ", expected " + std::to_string(req.width) + "x" +
                         std::to_string(req.height));
  }
  return img;
}

// --mask / --strength-map / an RGBA init image → the request's per-pixel strength (DESIGN.md §3).
void apply_strength_inputs(GenerateArgs& a, const std::optional<doc::Image8>& init) {
  auto& req = a.req;
  if (!a.mask.empty() && !a.strength_map.empty()) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "--mask and --strength-map exclude each other: pass one");
  }
  if ((!a.mask.empty() || !a.strength_map.empty()) && !init) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     std::string(a.mask.empty() ? "--strength-map" : "--mask") + " needs an init image (-i)");
  }
  if (!a.mask.empty()) req.strength_map = doc::strength_from_mask(read_aux_image(a.mask, "mask", req), static_cast<float>(req.strength));
  if (!a.strength_map.empty()) req.strength_map = doc::grey_level(read_aux_image(a.strength_map, "strength map", req));
  if (init && doc::has_transparency(*init)) {
    if (!req.strength_map) req.strength_map = doc::ImageF(req.width, req.height, 1, static_cast<float>(req.strength));
    doc::raise_strength_where_transparent(*req.strength_map, *init);
    req.init_image = fill_transparent(*init, a.infill, req.seed);
  }
}

int run_generate(GenerateArgs& a) {
  auto& req = a.req;
  req.sampler = diffusion::parse_sampler(a.sampler);
  req.schedule = diffusion::parse_schedule(a.schedule);
  req.convention = diffusion::parse_convention(a.convention);
  apply_device_precision(a.device, a.precision, a.pipe);
  if (req.seed < 0) {
    req.seed = static_cast<std::int64_t>(std::random_device{}() & 0x7fffffff);
  }
  std::optional<ProjectRun> project;
  auto given = [&](const std::string& name) { return a.cmd->count(name) > 0; };
  a.pipe.model = model_or_default(a.pipe.model);
  // Unset sides default to the model's native size (512 for SD 1.x, 128 for the embedded model),
  // read from the file's header without loading it.
  if (!given("--width") || !given("--height")) {
    const int native = diffusion::inspect_model(a.pipe.model).config.native_size;
    if (!given("--width")) req.width = native;
    if (!given("--height")) req.height = native;
  }
  if (!a.project.empty()) {
    project = prepare_project_request(a.project, req, a.infill, given);
    req.scale_before_processing = !a.no_scale;  // on by default for documents (InvokeAI's canvas)
  } else if (!given("--prompt")) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "--prompt is required (or --project with a prompt saved in it)");
  }
  std::optional<doc::Image8> init;
  if (!a.init_img.empty()) {
    init = io::read_image(a.init_img);
    if (!given("--width") && !given("--height")) {  // the init image's size, unless asked otherwise
      req.width = init->width;
      req.height = init->height;
    }
    if (init->width != req.width || init->height != req.height) {
      throw doc::Error(doc::ErrorCode::InvalidArgument,
                       "init image " + a.init_img + " is " + std::to_string(init->width) + "x" +
                           std::to_string(init->height) + ", but -W/-H ask for " + std::to_string(req.width) +
                           "x" + std::to_string(req.height) + " (resize it, or pass matching -W/-H)");
    }
    req.init_image = to_rgb(*init);
  }
  req.mask_blur = a.mask_blur;
  if (!project) apply_strength_inputs(a, init);
  diffusion::validate_request(req);

  auto pipeline = diffusion::Pipeline::load(a.pipe);
  ProgressBar bar(stderr_is_terminal());
  diffusion::GenerationHooks hooks;
  hooks.should_cancel = [] { return g_interrupted.load(); };
  hooks.on_progress = [&](const diffusion::Progress& p) { bar.update(p, req.batch_count); };
  if (a.preview_every > 0 && !a.preview_path.empty()) {
    hooks.preview_every = a.preview_every;
    hooks.on_preview = [&](const diffusion::Preview& p) { io::write_png(a.preview_path, p.image); };
  }
  std::signal(SIGINT, on_sigint);
  auto images = pipeline->generate(req, hooks);
  bar.finish();
  if (project) {
    save_project_results(*project, req, images);
    std::cout << a.project << "  +" << images.size() << " layer" << (images.size() == 1 ? "" : "s") << "\n";
    if (!given("--output")) return 0;
  }
  for (std::size_t i = 0; i < images.size(); ++i) {
    auto path = numbered(a.output, static_cast<int>(i), static_cast<int>(images.size()));
    io::write_png(path, images[i].image, metadata_chunks(req, images[i], pipeline->summary(), pipeline->model_hash(), static_cast<int>(i)));
    std::cout << path.string() << "  seed " << images[i].seed << "  " << images[i].steps_run << " steps  "
              << images[i].seconds << " s\n";
  }
  return 0;
}

}  // namespace

RunFn add_generate(CLI::App& root) {
  auto a = std::make_shared<GenerateArgs>();
  auto* s = root.add_subcommand("generate", "Generate images (txt2img, img2img, inpainting, outpainting)");
  s->add_option("-m,--model", a->pipe.model, "Model: .safetensors file or diffusers folder (default: the embedded model)");
  a->cmd = s;
  s->add_option("-p,--prompt", a->req.prompt, "Prompt (A1111 attention syntax)");
  s->add_option("--project", a->project,
                "OpenRaster project: generate its bbox from its layers, masks and strengths; the results "
                "become new layers and the project is saved (PNG too with -o)");
  s->add_flag("--no-scale-before-processing", a->no_scale, "With --project: generate at the bbox size as is");
  s->add_option("-n,--negative-prompt", a->req.negative_prompt, "Negative prompt");
  s->add_option("-W,--width", a->req.width, "Width in pixels, multiple of 8 (64..4096); default: the model's native size");
  s->add_option("-H,--height", a->req.height, "Height in pixels, multiple of 8 (64..4096); default: the model's native size");
  s->add_option("--steps", a->req.steps, "Sampling steps")->default_val(20);
  s->add_option("--cfg-scale", a->req.cfg_scale, "Classifier-free guidance scale")->default_val(7.5);
  s->add_option("--sampler", a->sampler, "euler, euler_a, ddim, dpmpp_2m, lms, heun, ddpm, pndm")->default_val("euler");
  s->add_option("--schedule", a->schedule, "normal or karras")->default_val("normal");
  s->add_option("--convention", a->convention, "diffusers (default) or a1111 (k-diffusion sigmas)")->default_val("diffusers");
  s->add_option("--seed", a->req.seed, "Seed; negative = random")->default_val(42);
  s->add_option("--clip-skip", a->req.clip_skip, "A1111 clip skip (1 = last layer)")->default_val(1);
  s->add_option("--batch-count", a->req.batch_count, "Images, with seeds seed, seed+1, …")->default_val(1);
  s->add_option("-i,--init-img", a->init_img, "Init image for img2img");
  s->add_option("--strength", a->req.strength, "img2img denoising strength in [0,1]")->default_val(0.75);
  s->add_option("--mask", a->mask, "Mask image (white = repaint with --strength, black = keep); needs -i");
  s->add_option("--mask-blur", a->mask_blur, "Blur (σ, pixels) of the paste-back edge; 0 keeps unmasked pixels exact")->default_val(4);
  s->add_option("--strength-map", a->strength_map, "Greyscale per-pixel strength (white = 1); needs -i");
  s->add_option("--infill", a->infill, "How transparent init pixels are pre-filled: telea, edge, solid, noise")
      ->check(CLI::IsMember({"telea", "edge", "solid", "noise"}))->default_val("telea");
  s->add_flag("--scale-before-processing", a->req.scale_before_processing,
              "Generate at about the model's native size and resize back (InvokeAI's canvas behaviour)");
  s->add_option("--taesd", a->pipe.taesd_decoder, "TAESD decoder weights for previews");
  s->add_option("--preview-every", a->preview_every, "Write a preview every N steps");
  s->add_option("--preview-path", a->preview_path, "Where previews are written");
  s->add_option("--tokenizer", a->pipe.tokenizer, "Folder with vocab.json + merges.txt, or bpe_simple_vocab_16e6.txt.gz");
  s->add_option("--threads", a->pipe.threads, "Intra-op threads (0 = all cores)")->default_val(0);
  s->add_option("--device", a->device, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}))->default_val("cpu");
  s->add_option("--precision", a->precision, "fp32, bf16 or fp16")->check(CLI::IsMember({"fp32", "bf16", "fp16"}))->default_val("fp32");
  s->add_option("-o,--output", a->output, "Output PNG (batches get _0, _1, … suffixes)")->default_val("output.png");
  return [a] {
    if (a->init_img.empty()) a->req.strength = 1.0;
    try {
      return run_generate(*a);
    } catch (const doc::Error& e) {
      if (e.code() == doc::ErrorCode::Cancelled) {
        std::cerr << "\ninterrupted: no image written\n";
        return 130;
      }
      throw;
    }
  };
}

}  // namespace strata::cli
