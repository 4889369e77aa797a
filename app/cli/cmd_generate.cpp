// strata-cli generate — txt2img / img2img from the command line, flags an sd.cpp user would guess.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <random>

#include "commands.h"
#include "common.h"
#include "progress_bar.h"
#include "project_generate.h"
#include "strata/diffusion/model_info.h"
#include "strata/diffusion/pipeline.h"
#include "strata/generate/request.h"
#include "strata/io/image_codec.h"
#include "strata/io/metadata.h"

namespace strata::cli {

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted.store(true); }

struct GenerateArgs {
  diffusion::PipelineOptions pipe;
  generate::GenerationSettings settings;
  int width = 512, height = 512;
  std::string init_img, mask, strength_map, output = "output.png", preview_path, project;
  CLI::App* cmd = nullptr;  // to ask which options were given
  bool no_scale = false;
  bool no_color_match = false;
  int preview_every = 0;
};

std::filesystem::path numbered(const std::filesystem::path& out, int index, int count) {
  if (count <= 1) return out;
  auto stem = out.stem().string() + "_" + std::to_string(index);
  return out.parent_path() / (stem + out.extension().string());
}

// A mask or strength-map file must match the request's size.
doc::Image8 read_aux_image(const std::string& path, const char* what, const generate::ImageInputs& in) {
  auto img = io::read_image(path);
  if (img.width != in.width || img.height != in.height) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     std::string(what) + " " + path + " is " + std::to_string(img.width) + "x" +
                         std::to_string(img.height) + ", expected " + std::to_string(in.width) + "x" +
                         std::to_string(in.height));
  }
  return img;
}

// -i / --mask / --strength-map read into the image inputs of a request (sizes checked, naming
// the file).
generate::ImageInputs read_image_inputs(const GenerateArgs& a, const std::function<bool(const std::string&)>& given) {
  generate::ImageInputs in;
  in.width = a.width;
  in.height = a.height;
  if (!a.mask.empty() && !a.strength_map.empty()) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "--mask and --strength-map exclude each other: pass one");
  }
  if ((!a.mask.empty() || !a.strength_map.empty()) && a.init_img.empty()) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     std::string(a.mask.empty() ? "--strength-map" : "--mask") + " needs an init image (-i)");
  }
  if (!a.init_img.empty()) {
    in.init = io::read_image(a.init_img);
    if (!given("--width") && !given("--height")) {  // the init image's size, unless asked otherwise
      in.width = in.init->width;
      in.height = in.init->height;
    }
    if (in.init->width != in.width || in.init->height != in.height) {
      throw doc::Error(doc::ErrorCode::InvalidArgument,
                       "init image " + a.init_img + " is " + std::to_string(in.init->width) + "x" +
                           std::to_string(in.init->height) + ", but -W/-H ask for " + std::to_string(in.width) +
                           "x" + std::to_string(in.height) + " (resize it, or pass matching -W/-H)");
    }
  }
  if (!a.mask.empty()) in.mask = read_aux_image(a.mask, "mask", in);
  if (!a.strength_map.empty()) in.strength_map = read_aux_image(a.strength_map, "strength map", in);
  return in;
}

int run_generate(GenerateArgs& a) {
  auto& s = a.settings;
  warn_on_slow_bf16(a.pipe);
  if (s.seed < 0) s.seed = static_cast<std::int64_t>(std::random_device{}() & 0x7fffffff);
  auto given = [&](const std::string& name) { return a.cmd->count(name) > 0; };
  a.pipe.model = model_or_default(a.pipe.model);
  // Unset sides default to the model's native size (512 for SD 1.x, 128 for the embedded model),
  // read from the file's header without loading it.
  if (!given("--width") || !given("--height")) {
    const int native = diffusion::inspect_model(a.pipe.model).config.native_size;
    if (!given("--width")) a.width = native;
    if (!given("--height")) a.height = native;
  }
  s.color_match = !a.no_color_match;
  std::optional<ProjectRun> project;
  std::optional<generate::Request> request;
  if (!a.project.empty()) {
    s.scale_before_processing = !a.no_scale;  // on by default for documents (InvokeAI's canvas)
    project = load_project_run(a.project, s, given);
    request = generate::build_request(project->project.document, project->project.document.bbox(), s);
  } else if (!given("--prompt")) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "--prompt is required (or --project with a prompt saved in it)");
  } else {
    request = generate::build_request(read_image_inputs(a, given), s);
  }
  const diffusion::GenerationRequest& req = request->diffusion;

  // Before the model loads: a Ctrl-C during loading cancels at the first step.
  std::signal(SIGINT, on_sigint);
  auto pipeline = diffusion::Pipeline::load(a.pipe);
  std::cerr << "strata-cli: tokenizer " << pipeline->summary().tokenizer.string() << " ("
            << pipeline->summary().tokenizer_origin << ")\n";
  ProgressBar bar(stderr_is_terminal());
  diffusion::GenerationHooks hooks;
  hooks.should_cancel = [] { return g_interrupted.load(); };
  hooks.on_progress = [&](const diffusion::Progress& p) { bar.update(p, req.batch_count); };
  if (a.preview_every > 0 && !a.preview_path.empty()) {
    hooks.preview_every = a.preview_every;
    hooks.on_preview = [&](const diffusion::Preview& p) { io::write_png(a.preview_path, p.image); };
  }
  auto images = pipeline->generate(req, hooks);
  bar.finish();
  if (project) {
    save_project_results(*project, *request, images);
    std::cout << a.project << "  +" << images.size() << " layer" << (images.size() == 1 ? "" : "s") << "\n";
    if (!given("--output")) return 0;
  }
  for (std::size_t i = 0; i < images.size(); ++i) {
    const int index = static_cast<int>(i);
    auto path = numbered(a.output, index, static_cast<int>(images.size()));
    const io::GenerationInfo info = generate::describe(*request, images[i], pipeline->summary(), pipeline->model_hash(), index);
    io::write_png(path, images[i].image, io::make_generation_text_chunks(info));
    std::cout << path.string() << "  seed " << images[i].seed << "  " << images[i].steps_run << " steps  "
              << images[i].seconds << " s\n";
  }
  return 0;
}

}  // namespace

RunFn add_generate(CLI::App& root) {
  auto a = std::make_shared<GenerateArgs>();
  auto& st = a->settings;
  auto* s = root.add_subcommand("generate", "Generate images (txt2img, img2img, inpainting, outpainting)");
  s->add_option("-m,--model", a->pipe.model, "Model: .safetensors file or diffusers folder (default: the embedded model)");
  a->cmd = s;
  s->add_option("-p,--prompt", st.prompt, "Prompt (A1111 attention syntax)");
  s->add_option("--project", a->project,
                "OpenRaster project: generate its bbox from its layers, masks and strengths; the results "
                "become new layers and the project is saved (PNG too with -o)");
  s->add_flag("--no-scale-before-processing", a->no_scale, "With --project: generate at the bbox size as is");
  s->add_option("-n,--negative-prompt", st.negative_prompt, "Negative prompt");
  s->add_option("-W,--width", a->width, "Width in pixels, multiple of 8 (64..4096); default: the model's native size");
  s->add_option("-H,--height", a->height, "Height in pixels, multiple of 8 (64..4096); default: the model's native size");
  s->add_option("--steps", st.steps, "Sampling steps")->default_val(20);
  s->add_option("--cfg-scale", st.cfg_scale, "Classifier-free guidance scale")->default_val(7.5);
  add_sampling_options(s, st);
  s->add_option("--seed", st.seed, "Seed; negative = random")->default_val(42);
  s->add_option("--clip-skip", st.clip_skip, "A1111 clip skip (1 = last layer)")->default_val(1);
  s->add_option("--batch-count", st.batch_count, "Images, with seeds seed, seed+1, …")->default_val(1);
  s->add_option("-i,--init-img", a->init_img, "Init image for img2img");
  s->add_option("--strength", st.strength, "img2img denoising strength in [0,1]")->default_val(0.75);
  s->add_option("--mask", a->mask, "Mask image (white = repaint with --strength, black = keep); needs -i");
  s->add_option("--mask-blur", st.mask_blur, "Blur (σ, pixels) of the paste-back edge; 0 keeps unmasked pixels exact")->default_val(4);
  s->add_flag("--no-color-match", a->no_color_match,
              "Keep the repainted colours as generated (default: match them to the original at the seam)");
  s->add_option("--strength-map", a->strength_map, "Greyscale per-pixel strength (white = 1); needs -i");
  add_choice(s, "--infill", st.infill, io::kInfillMethods, "How transparent init pixels are pre-filled");
  add_sdxl_options(s, st);
  add_choice(s, "--vae-tiling", st.vae_tiling, diffusion::kVaeTilings, "VAE encode/decode in tiles");
  s->add_flag("--scale-before-processing", st.scale_before_processing,
              "Generate at about the model's native size and resize back (InvokeAI's canvas behaviour)");
  s->add_option("--taesd", a->pipe.taesd_decoder, "TAESD decoder weights for previews");
  s->add_option("--preview-every", a->preview_every, "Write a preview every N steps");
  s->add_option("--preview-path", a->preview_path, "Where previews are written");
  s->add_option("--tokenizer", a->pipe.tokenizer,
                "Tokenizer for this run instead of the model's own (a folder with vocab.json + merges.txt or "
                "tokenizer.model, a .model file, or bpe_simple_vocab_16e6.txt.gz); by default: beside the model, "
                "else the CLIP vocabulary shipped with Strata");
  s->add_option("--threads", a->pipe.threads, "Intra-op threads (0 = all cores)")->default_val(0);
  add_choice(s, "--device", a->pipe.device, diffusion::kDevices, "Device");
  add_choice(s, "--precision", a->pipe.precision, diffusion::kPrecisions, "Compute precision");
  add_choice(
      s, "--prediction", a->pipe.prediction,
      [](const std::string& word) { return doc::parse_named(diffusion::kPredictions, word, "--prediction"); },
      doc::joined_ids(diffusion::kPredictions), "detected",
      "The model's prediction type, when its file does not say (SD 2.x 768-v models: v)");
  s->add_option("-o,--output", a->output, "Output PNG (batches get _0, _1, … suffixes)")->default_val("output.png");
  return [a] {
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
