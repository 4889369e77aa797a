// Generation metadata recognition: InvokeAI (3+ and 2.x), Fooocus, and the dispatch over every
// known chunk. Ref: InvokeAI invokeai/app/invocations/metadata.py (core_metadata fields),
// invokeai/backend/stable_diffusion/schedulers/schedulers.py (scheduler names);
// Fooocus modules/meta_parser.py (metadata keys).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <string>

#include "detail.h"
#include "strata/io/metadata.h"

namespace strata::io {

namespace {

using Json = nlohmann::json;

const Json* member(const Json& j, const char* name) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(name);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}
std::string str(const Json& j, const char* name) {
  const Json* v = member(j, name);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}
std::optional<int> integer(const Json& j, const char* name) {
  const Json* v = member(j, name);
  if (v && v->is_number_integer()) return static_cast<int>(v->get<long long>());
  if (v && v->is_string()) return detail::parse_int(v->get<std::string>());
  return std::nullopt;
}
std::optional<double> number(const Json& j, const char* name) {
  const Json* v = member(j, name);
  if (v && v->is_number()) return v->get<double>();
  if (v && v->is_string()) return detail::parse_double(v->get<std::string>());
  return std::nullopt;
}
std::optional<std::uint64_t> seed(const Json& j, const char* name) {
  const Json* v = member(j, name);
  if (v && v->is_number_unsigned()) return v->get<std::uint64_t>();
  if (v && v->is_string()) return detail::parse_u64(v->get<std::string>());
  return std::nullopt;
}
// A scalar as text for `extra` (strings as is, numbers and booleans as JSON).
void add_extra(GenerationInfo& info, const Json& j, const char* name, const char* label) {
  const Json* v = member(j, name);
  if (!v || !v->is_primitive()) return;
  info.extra.emplace_back(label, v->is_string() ? v->get<std::string>() : v->dump());
}

// InvokeAI scheduler names: diffusers-style, "_k" = Karras sigmas; "kdpm_2" = DPM2.
void set_invoke_scheduler(GenerationInfo& info, std::string name) {
  if (name.ends_with("_k")) {
    name.resize(name.size() - 2);
    info.schedule = "karras";
  }
  if (name.starts_with("kdpm_2")) name = name.substr(1);
  info.sampler = name;
}

std::string invokeai_model_name(const Json& model) {
  auto name = str(model, "name");
  return name.empty() ? str(model, "model_name") : name;  // InvokeAI 3.0-3.3: model_name
}

// The main model's base ("sd-1", "sd-2", "sdxl", ...; 3.x: "base_model") and the SDXL refiner pass
// (refiner_*: its aesthetic scores are the ones the image was conditioned with; the rest under
// A1111's refiner keys where A1111 has one).
void invokeai_family_and_refiner(const Json& j, GenerationInfo& info) {
  if (const Json* m = member(j, "model"); m && m->is_object()) {
    auto base = str(*m, "base");
    if (base.empty()) base = str(*m, "base_model");
    if (!base.empty()) info.model_family = normalise_model_family(base);
  }
  if (info.model_family.empty() && str(j, "generation_mode").starts_with("sdxl")) info.model_family = "SDXL";
  if (const Json* r = member(j, "refiner_model"); r && r->is_object()) {
    if (auto name = invokeai_model_name(*r); !name.empty()) info.extra.emplace_back("Refiner", name);
  }
  add_extra(info, j, "refiner_start", "Refiner switch at");
  add_extra(info, j, "refiner_steps", "Refiner steps");
  add_extra(info, j, "refiner_cfg_scale", "Refiner CFG scale");
  add_extra(info, j, "refiner_scheduler", "Refiner scheduler");
  info.aesthetic_score = number(j, "refiner_positive_aesthetic_score");
  info.negative_aesthetic_score = number(j, "refiner_negative_aesthetic_score");
}

std::optional<GenerationInfo> invokeai(const Json& j) {
  if (!j.is_object() || (!member(j, "positive_prompt") && !member(j, "seed") && !member(j, "steps"))) return std::nullopt;
  GenerationInfo info;
  auto version = str(j, "app_version");
  info.generator = version.empty() ? "InvokeAI" : "InvokeAI " + version;
  info.prompt = str(j, "positive_prompt");
  info.negative_prompt = str(j, "negative_prompt");
  info.steps = integer(j, "steps");
  info.cfg_scale = number(j, "cfg_scale");
  info.seed = seed(j, "seed");
  info.width = integer(j, "width");
  info.height = integer(j, "height");
  info.clip_skip = integer(j, "clip_skip");
  info.strength = number(j, "strength");
  if (auto s = str(j, "scheduler"); !s.empty()) set_invoke_scheduler(info, s);
  if (const Json* m = member(j, "model"); m && m->is_object()) {
    info.model_name = invokeai_model_name(*m);
    info.model_hash = str(*m, "hash");
  }
  invokeai_family_and_refiner(j, info);
  add_extra(info, j, "generation_mode", "Generation mode");
  add_extra(info, j, "rand_device", "RNG");
  add_extra(info, j, "cfg_rescale_multiplier", "CFG rescale");
  add_extra(info, j, "positive_style_prompt", "Style prompt");
  add_extra(info, j, "negative_style_prompt", "Negative style prompt");
  add_extra(info, j, "seamless_x", "Seamless X");
  add_extra(info, j, "seamless_y", "Seamless Y");
  if (const Json* vae = member(j, "vae"); vae && vae->is_object()) {
    if (auto name = invokeai_model_name(*vae); !name.empty()) info.extra.emplace_back("VAE", name);
  }
  if (const Json* loras = member(j, "loras"); loras && loras->is_array()) {
    std::string list;
    for (const auto& l : *loras) {
      const Json* m = member(l, "model");
      if (!m) m = member(l, "lora");
      std::string name = m ? str(*m, "name") : std::string();
      if (name.empty() && m) name = str(*m, "model_name");
      if (name.empty() && m) name = str(*m, "key");
      if (name.empty()) continue;
      auto w = number(l, "weight");
      list += (list.empty() ? "" : ", ") + name + (w ? ":" + detail::format_number(*w) : "");
    }
    if (!list.empty()) info.extra.emplace_back("LoRAs", list);
  }
  return info;
}

// InvokeAI 2.x: "a cat [ugly, blurry]" -- bracketed parts are the negative prompt.
void split_legacy_prompt(const std::string& text, GenerationInfo& info) {
  std::string positive, negative;
  int depth = 0;
  for (char c : text) {
    if (c == '[') { if (depth++ == 0 && !negative.empty()) negative += ", "; continue; }
    if (c == ']' && depth > 0) { --depth; continue; }
    (depth > 0 ? negative : positive) += c;
  }
  info.prompt = std::string(detail::trim(positive));
  info.negative_prompt = std::string(detail::trim(negative));
}

std::optional<GenerationInfo> invokeai_legacy(const Json& j) {
  const Json* image = member(j, "image");
  if (!image || !image->is_object()) return std::nullopt;
  GenerationInfo info;
  auto version = str(j, "app_version");
  info.generator = version.empty() ? "InvokeAI" : "InvokeAI " + version;
  if (const Json* p = member(*image, "prompt")) {
    if (p->is_string()) split_legacy_prompt(p->get<std::string>(), info);
    else if (p->is_array() && !p->empty()) split_legacy_prompt(str((*p)[0], "prompt"), info);
  }
  info.steps = integer(*image, "steps");
  info.cfg_scale = number(*image, "cfg_scale");
  info.seed = seed(*image, "seed");
  info.width = integer(*image, "width");
  info.height = integer(*image, "height");
  info.strength = number(*image, "strength");
  if (auto s = str(*image, "sampler"); !s.empty()) {
    if (s.starts_with("k_")) s = s.substr(2);
    info.sampler = s == "plms" ? "pndm" : s;
  }
  info.model_name = str(j, "model_id");
  info.model_hash = str(j, "model_hash");
  add_extra(info, *image, "type", "Generation mode");
  return info;
}

// Fooocus writes either "Prompt"/"Negative Prompt"/... or snake_case keys; match loosely.
const Json* fooocus_member(const Json& j, std::string_view wanted) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string key = it.key();
    for (auto& c : key) c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == wanted && !it->is_null()) return &*it;
  }
  return nullptr;
}

template <typename F>
std::optional<GenerationInfo> guarded(F&& f) {
  try {
    return f();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<GenerationInfo> parse_invokeai_metadata(std::string_view json) {
  return guarded([&] { return invokeai(Json::parse(json, nullptr, false)); });
}

std::optional<GenerationInfo> parse_invokeai_legacy_metadata(std::string_view json) {
  return guarded([&] { return invokeai_legacy(Json::parse(json, nullptr, false)); });
}

std::optional<GenerationInfo> parse_fooocus_parameters(std::string_view json) {
  return guarded([&]() -> std::optional<GenerationInfo> {
    Json j = Json::parse(json, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    auto text = [&](std::string_view k) {
      const Json* v = fooocus_member(j, k);
      return v && v->is_string() ? v->get<std::string>() : std::string();
    };
    auto num = [&](std::string_view k) -> std::optional<double> {
      const Json* v = fooocus_member(j, k);
      if (v && v->is_number()) return v->get<double>();
      return v && v->is_string() ? detail::parse_double(v->get<std::string>()) : std::nullopt;
    };
    if (!fooocus_member(j, "prompt")) return std::nullopt;
    GenerationInfo info;
    auto version = text("version");
    info.generator = version.starts_with("Fooocus") ? version : "Fooocus" + (version.empty() ? "" : " " + version);
    info.prompt = text("prompt");
    info.negative_prompt = text("negative_prompt");
    if (auto s = num("steps")) info.steps = static_cast<int>(*s);
    info.cfg_scale = num("guidance_scale");
    if (auto s = text("seed"); !s.empty()) info.seed = detail::parse_u64(s);
    else if (const Json* v = fooocus_member(j, "seed"); v && v->is_number_unsigned()) info.seed = v->get<std::uint64_t>();
    if (auto s = text("sampler"); !s.empty()) info.sampler = doc::sampler_id_from_comfy(s);
    info.schedule = text("scheduler");
    info.model_family = "SDXL";  // Fooocus 2.x runs SDXL base models only
    info.model_name = text("base_model");
    info.model_hash = text("base_model_hash");
    auto res = text("resolution");  // "(1152, 896)"
    if (auto comma = res.find(','); comma != std::string::npos && res.size() > 2) {
      info.width = detail::parse_int(std::string_view(res).substr(1, comma - 1));
      info.height = detail::parse_int(std::string_view(res).substr(comma + 1, res.size() - comma - 2));
    }
    for (const char* k : {"styles", "performance", "sharpness"}) {
      if (const Json* v = fooocus_member(j, k)) info.extra.emplace_back(k, v->is_string() ? v->get<std::string>() : v->dump());
    }
    return info;
  });
}

std::optional<GenerationInfo> extract_generation_metadata(const std::vector<TextChunk>& chunks) {
  auto find = [&](std::string_view key) -> const std::string* {
    for (const auto& c : chunks) {
      if (c.key == key) return &c.value;
    }
    return nullptr;
  };
  if (const std::string* s = find("strata")) {
    try {
      return from_json(*s);
    } catch (const doc::Error&) {
      // unusable: fall through to the other formats
    }
  }
  if (const std::string* s = find("invokeai_metadata")) {
    if (auto info = parse_invokeai_metadata(*s)) return info;
  }
  if (const std::string* s = find("sd-metadata")) {
    if (auto info = parse_invokeai_legacy_metadata(*s)) return info;
  }
  if (const std::string* s = find("parameters")) {
    const std::string* scheme = find("fooocus_scheme");
    std::string_view body = detail::trim(*s);
    if ((scheme && *scheme == "fooocus") || body.starts_with("{")) {
      if (auto info = parse_fooocus_parameters(body)) return info;
    }
    if (!body.empty() && !body.starts_with("{")) {
      auto info = parse_a1111_parameters(body);
      if (scheme && *scheme == "a1111") info.generator = "Fooocus (A1111 format)";
      else if (find("prompt") || find("workflow")) info.generator = "ComfyUI (A1111-style parameters)";
      return info;
    }
  }
  if (const std::string* s = find("prompt")) {
    if (auto info = parse_comfyui_prompt(*s)) return info;
  }
  if (const std::string* s = find("workflow")) {
    if (auto info = parse_comfyui_workflow(*s)) return info;
  }
  return std::nullopt;
}

std::optional<GenerationInfo> read_generation_metadata(const std::filesystem::path& path) {
  return extract_generation_metadata(read_image_text(path));
}

std::vector<TextChunk> make_generation_text_chunks(const GenerationInfo& info) {
  return {TextChunk{"parameters", format_a1111_parameters(info)}, TextChunk{"strata", to_json(info)}};
}

}  // namespace strata::io
