// strata-scenes: the procedural scenes of the embedded model, from the command line (no torch).
//   strata-scenes render --seed N --count K --size S -o DIR   PNGs + captions.txt + prompts.tsv
//   strata-scenes eval DIR [--verbose]                        checks DIR/prompts.tsv ("file<TAB>prompt")
//   strata-scenes analyse FILE...                             what the evaluator sees in each image
//   strata-scenes selftest --count N --size S [-v]            the evaluator on rendered ground truth
//   strata-scenes corpus --count N --seed S -o FILE           captions for the tokenizer trainer
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "strata/doc/error.h"
#include "strata/io/image_codec.h"
#include "strata/scenes/caption.h"
#include "strata/scenes/evaluate.h"
#include "strata/scenes/render.h"

namespace fs = std::filesystem;
using namespace strata;

namespace {

std::ofstream open_out(const fs::path& path) {
  std::ofstream out(path);
  if (!out) throw doc::Error(doc::ErrorCode::IoError, path.string() + ": cannot be written");
  return out;
}

// Pastes `tile` into `sheet` at cell i of a grid `columns` wide.
void paste(doc::Image8& sheet, const doc::Image8& tile, int i, int columns) {
  const int ox = (i % columns) * tile.width, oy = (i / columns) * tile.height;
  for (int y = 0; y < tile.height; ++y)
    for (int x = 0; x < tile.width; ++x)
      for (int c = 0; c < 3; ++c) sheet.at(ox + x, oy + y, c) = tile.at(x, y, c);
}

int run_render(std::uint64_t seed, int count, int size, const fs::path& dir, bool canonical, bool sheet) {
  fs::create_directories(dir);
  const int columns = std::min(count, 8);
  doc::Image8 contact;
  if (sheet) contact = doc::Image8(columns * size, (count + columns - 1) / columns * size, 3);
  std::ofstream captions = open_out(dir / "captions.txt");
  std::ofstream prompts = open_out(dir / "prompts.tsv");
  for (int i = 0; i < count; ++i) {
    const std::uint64_t s = seed + static_cast<std::uint64_t>(i);
    const scenes::Scene scene = scenes::sample_scene(s);
    const std::string text = canonical ? scenes::canonical_caption(scene) : scenes::caption(scene, s);
    char name[32];
    std::snprintf(name, sizeof name, "scene_%05d.png", i);
    const doc::Image8 image = scenes::render(scene, size, size);
    io::write_png(dir / name, image, {{"parameters", text}});
    if (sheet) paste(contact, image, i, columns);
    captions << text << "\n";
    prompts << name << "\t" << text << "\n";
  }
  if (sheet) io::write_png(dir / "sheet.png", contact);
  std::cout << "wrote " << count << " scenes to " << dir.string() << "\n";
  return 0;
}

// Grey and RGBA files keep their colour channels only.
doc::Image8 read_rgb(const fs::path& path) {
  const doc::Image8 image = io::read_image(path);
  if (image.channels == 3) return image;
  doc::Image8 rgb(image.width, image.height, 3);
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      for (int c = 0; c < 3; ++c) rgb.at(x, y, c) = image.at(x, y, image.channels == 1 ? 0 : c);
  return rgb;
}

void print_analysis(const scenes::Analysis& a) {
  std::cout << "  background: " << scenes::to_string(a.bg.kind) << " " << scenes::to_string(a.bg.a);
  if (a.bg.b) std::cout << "/" << scenes::to_string(*a.bg.b);
  std::cout << "\n";
  for (const scenes::DetectedShape& s : a.shapes) {
    std::printf("  %s %s %s at %s (%.2f, %.2f) r=%.3f solidity=%.2f fill=%.2f hole=%.2f defects=%d\n",
                std::string(scenes::to_string(s.size)).c_str(), std::string(scenes::to_string(s.colour)).c_str(),
                std::string(scenes::to_string(s.kind)).c_str(), std::string(scenes::to_string(s.pos)).c_str(), s.cx,
                s.cy, s.r, s.solidity, s.fill, s.hole, s.deep_defects);
  }
}

int run_eval(const fs::path& dir, bool verbose, double min_accuracy) {
  std::ifstream in(dir / "prompts.tsv");
  if (!in) throw doc::Error(doc::ErrorCode::NotFound, (dir / "prompts.tsv").string() + ": not found");
  int total = 0, ok = 0;
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (line.empty() || tab == std::string::npos) continue;
    const std::string file = line.substr(0, tab), prompt = line.substr(tab + 1);
    const scenes::EvalReport report = scenes::evaluate(read_rgb(dir / file), prompt);
    ++total;
    ok += report.all_ok;
    if (!report.all_ok || verbose) std::cout << file << "\t" << prompt << "\t" << report.summary() << "\n";
    if (verbose) print_analysis(report.analysis);
  }
  const double accuracy = total ? static_cast<double>(ok) / total : 0.0;
  std::printf("%d/%d images have every stated attribute right (%.1f%%)\n", ok, total, 100.0 * accuracy);
  return accuracy + 1e-12 >= min_accuracy ? 0 : 1;
}

int run_analyse(const std::vector<std::string>& files) {
  for (const std::string& f : files) {
    std::cout << f << "\n";
    print_analysis(scenes::analyse(read_rgb(f)));
  }
  return 0;
}

// The evaluator on rendered ground truth: every attribute of COUNT random scenes must be read back.
int run_selftest(std::uint64_t seed, int count, int size, bool verbose) {
  int ok = 0;
  for (int i = 0; i < count; ++i) {
    const scenes::Scene scene = scenes::sample_scene(seed + static_cast<std::uint64_t>(i));
    const scenes::EvalReport report = scenes::evaluate(scenes::render(scene, size, size), scenes::spec_of(scene));
    ok += report.all_ok;
    if (!report.all_ok && verbose)
      std::cout << "seed " << seed + static_cast<std::uint64_t>(i) << ": " << scenes::canonical_caption(scene) << "\t"
                << report.summary() << "\n";
  }
  std::printf("%dx%d: %d/%d scenes read back fully (%.2f%%)\n", size, size, ok, count, 100.0 * ok / count);
  return 0;
}

int run_corpus(int count, std::uint64_t seed, const fs::path& out_path) {
  std::ofstream out = open_out(out_path);
  for (const std::string& c : scenes::caption_corpus(count, seed)) out << c << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Strata procedural scenes: render training scenes, evaluate images against prompts"};
  app.require_subcommand(1);
  std::uint64_t seed = 1;
  int count = 16, size = 128;
  std::string dir, out_file;
  bool canonical = false, verbose = false, sheet = false;
  double min_accuracy = 0.0;
  std::vector<std::string> files;

  CLI::App* render = app.add_subcommand("render", "write COUNT scenes as PNGs, captions.txt and prompts.tsv");
  render->add_option("--seed", seed, "first seed (scene i uses seed + i)");
  render->add_option("--count", count, "number of scenes")->check(CLI::Range(1, 1000000));
  render->add_option("--size", size, "width and height in pixels")->check(CLI::Range(16, 4096));
  render->add_option("-o,--output", dir, "output folder")->required();
  render->add_flag("--sheet", sheet, "also write sheet.png, all scenes in a grid 8 wide");
  render->add_flag("--canonical", canonical, "canonical captions (\"a red circle on a blue background\")");
  CLI::App* eval = app.add_subcommand("eval", "evaluate DIR/prompts.tsv (file<TAB>prompt per line)");
  eval->add_option("dir", dir, "folder with prompts.tsv and the images")->required();
  eval->add_flag("-v,--verbose", verbose, "print every image's analysis");
  eval->add_option("--min-accuracy", min_accuracy, "exit 1 when the share of correct images is lower");
  CLI::App* analyse = app.add_subcommand("analyse", "print what the evaluator finds in images");
  analyse->add_option("files", files, "images")->required();
  CLI::App* selftest = app.add_subcommand("selftest", "evaluate COUNT rendered scenes against their ground truth");
  selftest->add_option("--seed", seed, "first seed");
  selftest->add_option("--count", count, "number of scenes")->check(CLI::Range(1, 1000000));
  selftest->add_option("--size", size, "width and height in pixels")->check(CLI::Range(16, 4096));
  selftest->add_flag("-v,--verbose", verbose, "print each failure");
  CLI::App* corpus = app.add_subcommand("corpus", "write COUNT captions, one a line (tokenizer training text)");
  corpus->add_option("--count", count, "number of captions")->check(CLI::Range(1, 100000000));
  corpus->add_option("--seed", seed, "seed");
  corpus->add_option("-o,--output", out_file, "output file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (render->parsed()) return run_render(seed, count, size, dir, canonical, sheet);
    if (eval->parsed()) return run_eval(dir, verbose, min_accuracy);
    if (analyse->parsed()) return run_analyse(files);
    if (selftest->parsed()) return run_selftest(seed, count, size, verbose);
    if (corpus->parsed()) return run_corpus(count, seed, out_file);
  } catch (const doc::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return e.code() == doc::ErrorCode::Runtime ? 1 : 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
