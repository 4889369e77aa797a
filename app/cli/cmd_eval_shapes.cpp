// strata-cli eval-shapes — prompt adherence of a model on procedural scenes,
// read back by the OpenCV evaluator (strata/scenes/evaluate.h), COUNT images:
//   --task txt2img   prompts drawn with at least one (shape, colour) pair held out of training,
//                    each generated once; the share with every stated attribute right;
//   --task inpaint   a one-shape scene with a square masked on the side away from its shape,
//                    inpainted with "a green triangle"; the share whose masked square shows
//                    exactly one green triangle;
//   --task outpaint  a scene whose right 3/8 is transparent (infilled, then generated at strength
//                    1) with its caption as the prompt; the share whose whole picture shows the
//                    scene's background again (and every stated attribute).
// Optionally writes the images and prompts.tsv.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "common.h"
#include "strata/diffusion/pipeline.h"
#include "strata/generate/request.h"
#include "strata/doc/geometry.h"
#include "strata/io/image_codec.h"
#include "strata/io/infill.h"
#include "strata/scenes/render.h"
#include "strata/scenes/caption.h"
#include "strata/scenes/evaluate.h"
#include "strata/scenes/held_out.h"

namespace strata::cli {

namespace {

struct EvalArgs {
  diffusion::PipelineOptions pipe;
  generate::GenerationSettings settings;
  int count = 200, size = 0;
  std::uint64_t seed = 1;
  std::string out_dir, task = "txt2img";
};

struct Tally {
  int images = 0, all = 0, background = 0, shapes = 0, shape_ok = 0, kind = 0, colour = 0;
  void add(const scenes::EvalReport& r) {
    ++images;
    all += r.all_ok;
    background += r.background_ok;
    for (const auto& s : r.shapes) {
      ++shapes;
      shape_ok += s.ok();
      kind += s.found && s.kind_ok;
      colour += s.found && s.colour_ok;
    }
  }
};

double pct(int n, int d) { return d ? 100.0 * n / d : 0.0; }

// One evaluation case: what to generate from and how to read its result.
struct Case {
  generate::ImageInputs inputs;
  std::string prompt;
  double strength = 1.0;
  doc::Rect region;      // the part of the result evaluated (whole image: empty)
  std::string expected;  // the prompt the region is evaluated against
};

// A mask that repaints `r` (white) and keeps the rest (black).
doc::Image8 mask_inside(int w, int h, const doc::Rect& r) {
  doc::Image8 m(w, h, 1, 0);
  for (int y = r.y; y < r.bottom(); ++y)
    for (int x = r.x; x < r.right(); ++x) m.at(x, y, 0) = 255;
  return m;
}

Case make_case(const std::string& task, std::uint64_t seed, int size) {
  Case c;
  c.inputs.width = c.inputs.height = size;
  if (task == "txt2img") {
    const scenes::Scene scene = scenes::sample_scene(seed, scenes::held_out_scene_options());
    c.prompt = c.expected = scenes::canonical_caption(scene);
    return c;
  }
  if (task == "inpaint") {
    scenes::SceneOptions o;
    o.max_shapes = 1;
    o.bg_kinds = {scenes::BackgroundKind::Solid};
    o.bg_colours = {scenes::Colour::White, scenes::Colour::Black, scenes::Colour::Blue, scenes::Colour::Yellow,
                    scenes::Colour::Red, scenes::Colour::Purple, scenes::Colour::Orange, scenes::Colour::Grey};
    o.accept = [](const scenes::Scene& s) { return scenes::column_of(s.shapes[0].pos) != 0; };
    const scenes::Scene scene = scenes::sample_scene(seed, o);
    const bool shape_left = scenes::column_of(scene.shapes[0].pos) < 0;
    c.region = {shape_left ? size / 2 : 0, size / 4, size / 2, size / 2};
    c.inputs.init = scenes::render(scene, size, size);
    c.inputs.mask = mask_inside(size, size, c.region);
    c.prompt = c.expected = "a green triangle";
    return c;
  }
  const scenes::Scene scene = scenes::sample_scene(seed);  // outpaint
  doc::Image8 rgba(size, size, 4);
  const doc::Image8 rgb = scenes::render(scene, size, size);
  const int keep = size - size * 3 / 8;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      for (int k = 0; k < 3; ++k) rgba.at(x, y, k) = rgb.at(x, y, k);
      rgba.at(x, y, 3) = x < keep ? 255 : 0;
    }
  }
  c.inputs.init = std::move(rgba);  // infilled (Telea) and generated where transparent
  c.strength = 0.0;                 // the opaque part is kept
  c.prompt = c.expected = scenes::canonical_caption(scene);
  return c;
}

doc::Image8 crop(const doc::Image8& image, const doc::Rect& r) {
  if (r.empty()) return image;
  doc::Image8 out(r.width, r.height, image.channels);
  for (int y = 0; y < r.height; ++y)
    for (int x = 0; x < r.width; ++x)
      for (int k = 0; k < image.channels; ++k) out.at(x, y, k) = image.at(r.x + x, r.y + y, k);
  return out;
}

}  // namespace

RunFn add_eval_shapes(CLI::App& root) {
  auto a = std::make_shared<EvalArgs>();
  auto* s = root.add_subcommand("eval-shapes", "Measure prompt adherence on held-out procedural scenes");
  s->add_option("-m,--model", a->pipe.model, "Model: .safetensors file or diffusers folder (default: the embedded model)");
  s->add_option("--tokenizer", a->pipe.tokenizer, "Tokenizer (default: next to the model)");
  s->add_option("--count", a->count, "Prompts to evaluate")->default_val(200)->check(CLI::Range(1, 100000));
  s->add_option("--size", a->size, "Image side in pixels (default: the model's native size)");
  s->add_option("--steps", a->settings.steps, "Sampling steps")->default_val(20);
  s->add_option("--cfg-scale", a->settings.cfg_scale, "Guidance scale")->default_val(7.5);
  add_sampling_options(s, a->settings);
  s->add_option("--seed", a->seed, "Seed of the prompts and of the first image")->default_val(1);
  s->add_option("-o,--output", a->out_dir, "Folder for the images and prompts.tsv (optional)");
  s->add_option("--task", a->task, "txt2img (held-out prompts), inpaint (\"a green triangle\" in a masked square) or outpaint")
      ->check(CLI::IsMember({"txt2img", "inpaint", "outpaint"}))->default_val("txt2img");
  return [a] {
    a->pipe.model = model_or_default(a->pipe.model);
    auto pipeline = diffusion::Pipeline::load(a->pipe);
    const int size = a->size > 0 ? a->size : pipeline->summary().config.native_size;
    std::ofstream tsv;
    if (!a->out_dir.empty()) {
      std::filesystem::create_directories(a->out_dir);
      tsv.open(std::filesystem::path(a->out_dir) / "prompts.tsv");
    }
    Tally t;
    for (int i = 0; i < a->count; ++i) {
      const Case c = make_case(a->task, a->seed + static_cast<std::uint64_t>(i), size);
      generate::GenerationSettings settings = a->settings;
      settings.prompt = c.prompt;
      settings.strength = c.strength;
      settings.seed = static_cast<std::int64_t>(a->seed) + i;
      const diffusion::GenerationRequest r = generate::build_request(c.inputs, settings).diffusion;
      const auto image = pipeline->generate(r).at(0).image;
      const scenes::EvalReport report = scenes::evaluate(crop(image, c.region), c.expected);
      t.add(report);
      if (tsv.is_open()) {
        const std::string file = "eval_" + std::to_string(i) + ".png";
        io::write_png(std::filesystem::path(a->out_dir) / file, image);
        tsv << file << "\t" << r.prompt << "\n";
      }
      std::cerr << "\r" << (i + 1) << "/" << a->count << " " << pct(t.all, t.images) << " % so far" << std::flush;
    }
    std::cerr << "\n";
    std::cout << "model        " << pipeline->summary().name << " at " << size << "x" << size << ", " << a->settings.steps
              << " steps, cfg " << a->settings.cfg_scale << ", task " << a->task << "\n"
              << "held out     " << scenes::held_out_description() << "\n"
              << t.all << "/" << t.images << " images have every stated attribute right (" << pct(t.all, t.images) << " %)\n"
              << "background   " << pct(t.background, t.images) << " %\n"
              << "shapes       " << pct(t.shape_ok, t.shapes) << " % fully right; kind " << pct(t.kind, t.shapes)
              << " %, colour " << pct(t.colour, t.shapes) << " % (" << t.shapes << " shapes)\n";
    return 0;
  };
}

}  // namespace strata::cli
