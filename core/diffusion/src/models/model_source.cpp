// Opening a model: one .safetensors file or a diffusers folder → one TensorIndex with single-file
// keys, plus the hints its configs give.
#include "models/model_source.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "models/diffusers_names.h"
#include "models/hints.h"
#include "strata/doc/error.h"

namespace strata::diffusion::models {

using doc::Error;
using doc::ErrorCode;
namespace fs = std::filesystem;

namespace {

// Reads a JSON file; a missing file is nullopt, an unreadable one a note (configs are optional).
std::optional<nlohmann::json> read_json(const fs::path& path, std::vector<std::string>& notes) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path);
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    notes.push_back(path.filename().string() + " ignored: not valid JSON (" + e.what() + ")");
    return std::nullopt;
  }
}

std::string relative_name(const fs::path& folder, const fs::path& file) {
  return folder.filename().string() + "/" + file.lexically_relative(folder).string();
}

// Checkpoints saved with transformers < 4.x store CLIP as cond_stage_model.transformer.{embeddings,
// encoder, final_layer_norm}; current ones insert "text_model.". AUTOMATIC1111 renames the same way.
std::string modernise_clip_key(const std::string& key) {
  static const std::string old_prefix = "cond_stage_model.transformer.";
  if (key.compare(0, old_prefix.size(), old_prefix) != 0) return key;
  for (const char* part : {"embeddings.", "encoder.", "final_layer_norm."}) {
    if (key.compare(old_prefix.size(), std::char_traits<char>::length(part), part) == 0) {
      return old_prefix + "text_model." + key.substr(old_prefix.size());
    }
  }
  return key;
}

ModelSource open_single_file(const fs::path& path) {
  ModelSource src;
  src.path = path;
  src.kind = SourceKind::SingleFile;
  TensorIndex raw = TensorIndex::open(path);
  src.metadata = raw.metadata();
  for (const auto& t : raw.tensors()) {
    TensorInfo info = t;
    info.name = modernise_clip_key(t.name);
    src.index.add(std::move(info));
  }
  src.file_bytes = fs::file_size(path);
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (auto config = read_json(dir / "config.json", src.notes)) {
    src.hints.fill_from(hints_from_config_json(*config, "config.json"));
  }
  src.hints.fill_from(ModelHints::from_metadata(src.metadata));
  std::error_code ec;
  // CLIP BPE in tokenizer/, or a SentencePiece tokenizer.model next to the file or in tokenizer/.
  if (fs::is_regular_file(dir / "tokenizer" / "vocab.json", ec) || fs::is_regular_file(dir / "tokenizer" / "tokenizer.model", ec)) {
    src.tokenizer_dir = dir / "tokenizer";
  } else if (fs::is_regular_file(dir / "tokenizer.model", ec)) {
    src.tokenizer_dir = dir / "tokenizer.model";
  } else if (auto hint = src.metadata.find("strata.tokenizer"); hint != src.metadata.end() && !hint->second.empty()) {
    src.tokenizer_dir = dir / hint->second;  // __metadata__ names one relative to the file's folder
  }
  return src;
}

// <dir>/<stem>[.fp16].safetensors, or the shards an <that>.index.json lists. Refuses .bin weights.
std::vector<fs::path> component_files(const fs::path& folder, DiffusersComponent c, bool required) {
  const fs::path dir = folder / folder_name(c);
  const std::string stem = (c == DiffusersComponent::UNet || c == DiffusersComponent::VAE) ? "diffusion_pytorch_model" : "model";
  std::error_code ec;
  for (const char* variant : {"", ".fp16"}) {
    const fs::path file = dir / (stem + variant + ".safetensors");
    if (fs::is_regular_file(file, ec)) return {file};
    const fs::path sharded = dir / (stem + variant + ".safetensors.index.json");
    if (fs::is_regular_file(sharded, ec)) {
      std::vector<std::string> ignored;
      auto j = read_json(sharded, ignored);
      if (!j || !j->contains("weight_map") || !(*j)["weight_map"].is_object()) {
        throw Error(ErrorCode::CorruptFile, relative_name(folder, sharded) + ": expected a \"weight_map\" object");
      }
      std::set<std::string> shards;
      for (const auto& [key, value] : (*j)["weight_map"].items()) {
        if (!value.is_string()) throw Error(ErrorCode::CorruptFile, relative_name(folder, sharded) + ": weight_map." + key + " is not a file name");
        shards.insert(value.get<std::string>());
      }
      std::vector<fs::path> files;
      for (const auto& s : shards) files.push_back(dir / fs::path(s).filename());
      return files;
    }
  }
  for (const char* variant : {"", ".fp16"}) {
    const fs::path pickle = dir / (stem + variant + ".bin");
    if (fs::is_regular_file(pickle, ec)) (void)TensorIndex::open(pickle);  // throws the pickle refusal
  }
  if (!required) return {};
  throw Error(ErrorCode::NotFound, relative_name(folder, dir / (stem + ".safetensors")) + ": not found; this diffusers "
                                       "folder needs its " + std::string(folder_name(c)) + "/ weights as .safetensors "
                                       "(unet/, vae/ and the text encoders its model_index.json lists)");
}

// The components a folder must hold: unet, vae (the layout is read from their keys) and the text
// encoders model_index.json lists with a class (the refiner lists text_encoder as [null, null]);
// without such a list, text_encoder — or text_encoder_2 where it is the only one.
std::set<DiffusersComponent> required_components(const fs::path& folder, const std::optional<nlohmann::json>& index) {
  std::set<DiffusersComponent> out{DiffusersComponent::UNet, DiffusersComponent::VAE};
  bool listed = false;
  if (index && index->is_object()) {
    for (auto c : {DiffusersComponent::TextEncoder, DiffusersComponent::TextEncoder2}) {
      const auto it = index->find(std::string(folder_name(c)));
      if (it == index->end() || !it->is_array()) continue;
      listed = true;
      if (!it->empty() && !(*it)[0].is_null()) out.insert(c);
    }
    if (listed) return out;
  }
  std::error_code ec;
  out.insert(fs::is_directory(folder / "text_encoder_2", ec) && !fs::is_directory(folder / "text_encoder", ec)
                 ? DiffusersComponent::TextEncoder2
                 : DiffusersComponent::TextEncoder);
  return out;
}

ModelSource open_diffusers_folder(const fs::path& folder) {
  std::error_code ec;
  const bool has_model_index = fs::is_regular_file(folder / "model_index.json", ec);
  if (!has_model_index && !fs::is_directory(folder / "unet", ec)) {
    throw Error(ErrorCode::UnsupportedModel,
                folder.string() + ": a folder but not a diffusers model (no model_index.json and no unet/); "
                                  "expected a .safetensors file or a diffusers folder");
  }
  ModelSource src;
  src.path = folder;
  src.kind = SourceKind::DiffusersFolder;
  const auto model_index = read_json(folder / "model_index.json", src.notes);
  const auto required = required_components(folder, model_index);

  struct Part {
    DiffusersComponent component;
    std::vector<TensorIndex> indexes;
    std::vector<std::string> keys;
  };
  std::vector<Part> parts;
  for (auto c : {DiffusersComponent::UNet, DiffusersComponent::VAE, DiffusersComponent::TextEncoder,
                 DiffusersComponent::TextEncoder2}) {
    auto files = component_files(folder, c, required.count(c) != 0);
    if (files.empty()) continue;
    Part part{c, {}, {}};
    for (const auto& file : files) {
      part.indexes.push_back(TensorIndex::open(file));
      src.file_bytes += fs::file_size(file);
      if (src.metadata.empty()) src.metadata = part.indexes.back().metadata();
      for (const auto& t : part.indexes.back().tensors()) part.keys.push_back(t.name);
    }
    parts.push_back(std::move(part));
  }
  const DiffusersLayout layout = layout_from_diffusers_keys(parts[0].keys, parts[1].keys);
  for (const auto& part : parts) {
    for (const auto& index : part.indexes) {
      for (const auto& t : index.tensors()) {
        MappedName m = to_single_file(part.component, t.name, layout);
        TensorInfo info = t;
        info.name = std::move(m.name);
        if (m.conv1x1 && info.shape.size() == 2) info.shape = {info.shape[0], info.shape[1], 1, 1};
        src.index.add(std::move(info));
      }
    }
  }

  if (auto j = read_json(folder / "unet" / "config.json", src.notes)) src.hints.fill_from(hints_from_diffusers_unet(*j, "unet/config.json"));
  if (auto j = read_json(folder / "text_encoder" / "config.json", src.notes)) {
    src.hints.fill_from(hints_from_diffusers_text_encoder(*j, "text_encoder/config.json"));
  }
  if (auto j = read_json(folder / "text_encoder_2" / "config.json", src.notes)) {
    src.hints.fill_from(hints_from_diffusers_text_encoder_2(*j, "text_encoder_2/config.json"));
  }
  if (auto j = read_json(folder / "scheduler" / "scheduler_config.json", src.notes)) {
    src.hints.fill_from(hints_from_scheduler(*j, "scheduler/scheduler_config.json"));
  }
  if (model_index) src.hints.fill_from(hints_from_model_index(*model_index, "model_index.json"));
  src.hints.fill_from(ModelHints::from_metadata(src.metadata));
  // The refiner ships tokenizer_2/ only (the same BPE; padding comes from the detected config).
  for (const char* dir : {"tokenizer", "tokenizer_2"}) {
    if (src.tokenizer_dir.empty() && fs::is_directory(folder / dir, ec)) src.tokenizer_dir = folder / dir;
  }
  return src;
}

}  // namespace

std::string ModelSource::name() const {
  if (kind == SourceKind::DiffusersFolder) return path.filename().string() + "/ (diffusers folder)";
  return path.filename().string();
}

ModelSource open_model_source(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error(ErrorCode::NotFound, path.string() + ": no such file or folder");
  // A trailing slash leaves an empty filename(); normalise so messages name the folder.
  fs::path clean = path.filename().empty() ? path.parent_path() : path;
  if (fs::is_directory(clean, ec)) return open_diffusers_folder(clean);
  return open_single_file(clean);
}

}  // namespace strata::diffusion::models
