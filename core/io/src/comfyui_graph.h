// Internal to strata_io: reading ComfyUI's API-format graph ({id: {class_type, inputs}}, links as
// [node_id, output_index]), shared by the general reader and the SDXL conditioning reader.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "strata/io/generation_info.h"

namespace strata::io::comfy {

using Json = nlohmann::json;
inline constexpr int kMaxDepth = 24;

inline bool is_link(const Json& v) { return v.is_array() && v.size() == 2 && (v[0].is_string() || v[0].is_number_integer()); }
inline std::string link_target(const Json& v) { return v[0].is_string() ? v[0].get<std::string>() : std::to_string(v[0].get<long long>()); }

class ApiGraph {
 public:
  explicit ApiGraph(const Json& j) : j_(j) {}

  const Json* node(const std::string& id) const {
    auto it = j_.find(id);
    return it != j_.end() && it->is_object() ? &*it : nullptr;
  }
  static std::string type(const Json& node) {
    auto it = node.find("class_type");
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
  }
  static const Json* input(const Json& node, const char* name) {
    auto inputs = node.find("inputs");
    if (inputs == node.end() || !inputs->is_object()) return nullptr;
    auto it = inputs->find(name);
    return it == inputs->end() ? nullptr : &*it;
  }
  // The node a link input points to.
  const Json* follow(const Json& node, const char* name) const {
    const Json* v = input(node, name);
    return v && is_link(*v) ? this->node(link_target(*v)) : nullptr;
  }

  // A scalar input, following links to primitive nodes ("Seed", "Primitive", "Int" ...).
  const Json* scalar(const Json& node, const char* name, int depth = 0) const {
    const Json* v = input(node, name);
    if (!v || depth > kMaxDepth) return nullptr;
    if (!is_link(*v)) return v->is_primitive() ? v : nullptr;
    const Json* source = this->node(link_target(*v));
    if (!source) return nullptr;
    for (const char* alt : {name, "seed", "noise_seed", "value", "int", "float", "number", "string", "text"}) {
      if (const Json* s = scalar(*source, alt, depth + 1)) return s;
    }
    return nullptr;
  }

  // Prompt text reaching a sampler's `role` input ("positive"/"negative") through conditioning
  // nodes (ControlNet, combine, ...), depth-limited.
  std::string text(const Json& node, const char* role, int depth, std::set<const Json*>& seen) const {
    if (depth > kMaxDepth || !seen.insert(&node).second) return {};
    for (const char* name : {"text", "text_g", "prompt", "string"}) {
      if (const Json* s = scalar(node, name)) {
        if (s->is_string()) return s->get<std::string>();
      }
    }
    for (const char* name : {role, "conditioning", "conditioning_1", "conditioning_to", "conditioning_from"}) {
      if (const Json* up = follow(node, name)) {
        auto t = text(*up, role, depth + 1, seen);
        if (!t.empty()) return t;
      }
    }
    return {};
  }

  // The first node of class `type` reached from `node`'s `role` input ("positive"/"negative")
  // through conditioning nodes, depth-limited; `node` itself when it is one.
  const Json* upstream(const Json& node, std::string_view type, const char* role, int depth = 0) const {
    if (depth > kMaxDepth) return nullptr;
    if (this->type(node) == type) return &node;
    for (const char* name : {role, "conditioning", "conditioning_1", "conditioning_to", "conditioning_from"}) {
      if (const Json* up = follow(node, name)) {
        if (const Json* found = upstream(*up, type, role, depth + 1)) return found;
      }
    }
    return nullptr;
  }

 private:
  const Json& j_;
};

// Numbers outside int's range are not ints (a float cast would be undefined behaviour).
inline std::optional<int> as_int(const Json* v) {
  if (!v || !v->is_number()) return std::nullopt;
  const double d = v->get<double>();
  if (!(d >= -2147483648.0 && d <= 2147483647.0)) return std::nullopt;
  return v->is_number_float() ? static_cast<int>(d) : static_cast<int>(v->get<long long>());
}
inline std::optional<double> as_double(const Json* v) {
  return v && v->is_number() ? std::optional<double>(v->get<double>()) : std::nullopt;
}
inline std::string as_string(const Json* v) { return v && v->is_string() ? v->get<std::string>() : std::string(); }

// The sampler node chosen by parse_comfyui_prompt: its conditioning, model and latent inputs.
// SDXL: the size conditioning of the CLIPTextEncodeSDXL feeding `sampler` (family "SDXL"), and of a
// refiner pass (another sampler conditioned by CLIPTextEncodeSDXLRefiner): its aesthetic scores,
// model and switch point.
void read_sdxl(const ApiGraph& graph, const Json& root, const Json& sampler, GenerationInfo& info);

// A checkpoint name reached from `node`'s model input through LoRA and patch nodes; the LoRAs met
// on the way are appended to `loras` ("name:weight") when it is given.
std::string model_name(const ApiGraph& graph, const Json& node, std::vector<std::string>* loras = nullptr);

bool is_sampler(const std::string& type, const Json& node);

}  // namespace strata::io::comfy
