// inspect_model: detection plus a dry-run of the loader's name/shape check on the meta device.
#include "strata/diffusion/model_info.h"

#include <set>

#include "models/loader.h"
#include "models/model_source.h"
#include "strata/doc/error.h"

namespace strata::diffusion {

namespace {

struct Slot {
  const char* name;
  const char* prefix;
};

// Component of a key by prefix; the text encoder prefixes cover SD1 (transformer.), SD2 (model.)
// and SDXL (conditioner.embedders.N).
constexpr Slot kSlots[] = {
    {"unet", "model.diffusion_model."},
    {"vae", "first_stage_model."},
    {"text_encoder", "cond_stage_model."},
    {"text_encoder", "conditioner.embedders.0."},
    {"text_encoder_2", "conditioner.embedders.1."},
};

}  // namespace

ModelInfo inspect_model(const std::filesystem::path& path) {
  const models::ModelSource source = models::open_model_source(path);
  ModelInfo info;
  info.path = source.path;
  info.format = source.kind == models::SourceKind::DiffusersFolder ? "diffusers folder" : "safetensors";
  info.files = source.index.files();
  info.file_bytes = source.file_bytes;
  info.metadata = source.metadata;
  info.tokenizer_dir = source.tokenizer_dir;
  info.config = ModelConfig::detect(source.index, source.hints);
  info.config.notes.insert(info.config.notes.end(), source.notes.begin(), source.notes.end());

  std::map<std::string, ComponentInfo> by_name;
  std::vector<std::string> order;
  std::set<std::string> dtypes;
  for (const auto& t : source.index.tensors()) {
    const Slot* slot = nullptr;
    for (const auto& s : kSlots) {
      if (t.name.compare(0, std::char_traits<char>::length(s.prefix), s.prefix) == 0) {
        slot = &s;
        break;
      }
    }
    const std::string name = slot ? slot->name : "other";
    auto [it, inserted] = by_name.try_emplace(name);
    if (inserted) {
      order.push_back(name);
      it->second.name = name;
      it->second.prefix = slot ? slot->prefix : "";
    }
    ComponentInfo& c = it->second;
    c.tensors += 1;
    c.parameters += t.numel();
    c.bytes += t.byte_size();
    c.dtypes[std::string(to_string(t.dtype))] += 1;
    dtypes.insert(std::string(to_string(t.dtype)));
    info.total_parameters += t.numel();
  }
  // Stable order: unet, vae, text encoders, other.
  for (const char* name : {"unet", "vae", "text_encoder", "text_encoder_2", "other"}) {
    if (auto it = by_name.find(name); it != by_name.end()) info.components.push_back(it->second);
  }
  info.storage_dtypes.assign(dtypes.begin(), dtypes.end());

  if (!info.config.supported) {
    info.reason = info.config.reason;
    return info;
  }
  try {
    for (const auto& p : check_tensors(source, info.config)) info.problems.push_back(p.message);
  } catch (const std::exception& e) {
    info.problems.push_back(std::string("building the networks failed: ") + e.what());
  }
  info.runnable = info.problems.empty();
  if (!info.runnable) {
    info.reason = std::to_string(info.problems.size()) + " tensor problem" + (info.problems.size() > 1 ? "s" : "") +
                  ", first: " + info.problems.front();
  }
  return info;
}

}  // namespace strata::diffusion
