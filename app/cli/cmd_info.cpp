// strata-cli info IMAGE [--json] — which tool generated an image and with what settings.
// Reads the file once, checks that the image decodes (so a damaged file is reported, exit 2),
// then interprets its text metadata (A1111, InvokeAI, ComfyUI, Fooocus, Strata). An image without
// generation metadata is not an error: exit 0 with a message.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "strata/io/generation_info.h"
#include "strata/io/image_codec.h"
#include "strata/io/metadata.h"

namespace strata::cli {

namespace {

struct ImageFacts {
  io::ImageHeader header;
  int channels = 0;    // 0 when not decoded
  std::string note;    // why it was not decoded
  std::vector<io::TextChunk> text;
};

ImageFacts examine(const std::filesystem::path& path) {
  const io::ReadOptions options;
  const auto bytes = io::read_file_bytes(path, options.max_file_bytes);
  const std::string name = path.string();
  ImageFacts facts;
  facts.header = io::probe_image_header(bytes, name);
  try {
    facts.channels = io::decode_image(bytes, name, options).channels;
  } catch (const doc::Error& e) {
    if (e.code() != doc::ErrorCode::TooLarge) throw;
    facts.note = "pixels not decoded: larger than " + std::to_string(options.max_pixels) + " pixels";
  }
  facts.text = io::decode_image_text(bytes, name);
  return facts;
}

std::string channels_name(int channels) {
  switch (channels) {
    case 1: return "grey";
    case 3: return "RGB";
    case 4: return "RGBA";
    default: return "";
  }
}

// Multi-line values continue under the value column.
void field(std::ostream& out, const std::string& label, const std::string& value) {
  std::string padded = label + ":";
  padded.resize(std::max<std::size_t>(padded.size() + 1, 14), ' ');
  out << padded;
  for (char c : value) {
    out << c;
    if (c == '\n') out << std::string(padded.size(), ' ');
  }
  out << "\n";
}

std::string with_display(const std::string& id, const std::optional<std::string>& display) {
  return display && *display != id ? *display + " (" + id + ")" : id;
}

void print_text(const std::filesystem::path& path, const ImageFacts& facts, const std::optional<io::GenerationInfo>& info,
                std::ostream& out) {
  const auto& h = facts.header;
  std::string image = std::string(io::to_string(h.format)) + ", " + std::to_string(h.width) + "x" + std::to_string(h.height);
  if (facts.channels) image += ", " + channels_name(facts.channels);
  if (!facts.note.empty()) image += " (" + facts.note + ")";
  field(out, "file", path.string());
  field(out, "image", image);
  if (!info) {
    std::string keys;
    for (const auto& c : facts.text) keys += (keys.empty() ? "" : ", ") + c.key;
    out << path.filename().string() << ": no generation metadata"
        << (keys.empty() ? std::string(" (no text metadata at all)") : " (text keys: " + keys + ")") << "\n";
    return;
  }
  const auto& g = *info;
  auto num = [](double v) { std::ostringstream s; s << v; return s.str(); };
  field(out, "written by", g.generator.empty() ? "unknown tool" : g.generator);
  field(out, "prompt", g.prompt);
  if (!g.negative_prompt.empty()) field(out, "negative", g.negative_prompt);
  if (g.steps) field(out, "steps", std::to_string(*g.steps));
  if (!g.sampler.empty()) field(out, "sampler", with_display(g.sampler, io::a1111_sampler_name(g.sampler)));
  if (!g.schedule.empty()) field(out, "schedule", with_display(g.schedule, io::a1111_schedule_name(g.schedule)));
  if (g.cfg_scale) field(out, "cfg scale", num(*g.cfg_scale));
  if (g.seed) field(out, "seed", std::to_string(*g.seed));
  if (g.width && g.height) field(out, "size", std::to_string(*g.width) + "x" + std::to_string(*g.height));
  if (!g.model_name.empty() || !g.model_hash.empty()) {
    field(out, "model", g.model_name + (g.model_hash.empty() ? "" : (g.model_name.empty() ? "" : " ") + std::string("[") + g.model_hash + "]"));
  }
  if (!g.model_family.empty()) field(out, "family", g.model_family);
  if (!g.prediction.empty()) field(out, "prediction", g.prediction == "v" ? "v (v-prediction)" : g.prediction);
  auto pair = [](int a, int b) { return std::to_string(a) + "x" + std::to_string(b); };
  if (g.original_size) field(out, "original size", pair(g.original_size->width, g.original_size->height));
  if (g.crop_top_left) field(out, "crop top-left", pair(g.crop_top_left->left, g.crop_top_left->top) + " (left x top)");
  if (g.target_size) field(out, "target size", pair(g.target_size->width, g.target_size->height));
  if (g.aesthetic_score) field(out, "aesthetic", num(*g.aesthetic_score));
  if (g.negative_aesthetic_score) field(out, "neg aesthetic", num(*g.negative_aesthetic_score));
  if (g.clip_skip) field(out, "clip skip", std::to_string(*g.clip_skip));
  if (g.strength) field(out, "strength", num(*g.strength));
  if (g.steps_run) field(out, "steps run", std::to_string(*g.steps_run));
  if (g.start_sigma) field(out, "start sigma", num(*g.start_sigma));
  if (g.batch_size || g.batch_index) {
    field(out, "batch", "image " + (g.batch_index ? std::to_string(*g.batch_index + 1) : std::string("?")) + " of " +
                            (g.batch_size ? std::to_string(*g.batch_size) : std::string("?")));
  }
  if (!g.extra.empty()) {
    out << "other:\n";
    for (const auto& [k, v] : g.extra) field(out, "  " + k, v);
  }
}

nlohmann::json to_json_report(const std::filesystem::path& path, const ImageFacts& facts,
                              const std::optional<io::GenerationInfo>& info) {
  nlohmann::json j;
  j["file"] = path.string();
  j["format"] = std::string(io::to_string(facts.header.format));
  j["width"] = facts.header.width;
  j["height"] = facts.header.height;
  j["channels"] = facts.channels ? nlohmann::json(facts.channels) : nlohmann::json(nullptr);
  if (!facts.note.empty()) j["note"] = facts.note;
  j["text_keys"] = nlohmann::json::array();
  for (const auto& c : facts.text) j["text_keys"].push_back(c.key);
  j["generation"] = info ? nlohmann::json::parse(io::to_json(*info)) : nlohmann::json(nullptr);
  return j;
}

}  // namespace

RunFn add_info(CLI::App& root) {
  auto* sub = root.add_subcommand("info", "Show which tool generated an image and its generation settings");
  auto image = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto raw = std::make_shared<bool>(false);
  sub->add_option("IMAGE", *image, "PNG, JPEG, WebP, BMP or TIFF image")->required();
  sub->add_flag("--json", *json, "Print the report as JSON (generation: null when there is none)");
  sub->add_flag("--raw", *raw, "Print every text chunk as stored (key, then the value)")->excludes("--json");
  return [image, json, raw] {
    const std::filesystem::path path(*image);
    const ImageFacts facts = examine(path);
    if (*raw) {
      for (const auto& c : facts.text) std::cout << "[" << c.key << "]\n" << c.value << "\n";
      return 0;
    }
    const auto info = io::extract_generation_metadata(facts.text);
    if (*json) {
      std::cout << to_json_report(path, facts, info).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      print_text(path, facts, info, std::cout);
    }
    return 0;
  };
}

}  // namespace strata::cli
