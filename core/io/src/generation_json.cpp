// Strata's `strata` metadata chunk: GenerationInfo as JSON (schema in generation_info.h).
#include <nlohmann/json.hpp>

#include <string>

#include "detail.h"
#include "strata/io/generation_info.h"

namespace strata::io {

namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kSchema = "strata.generation";
constexpr int kVersion = 1;

class Reader {
 public:
  Reader(const Json& j, std::string_view source) : j_(j), source_(source) {}

  [[noreturn]] void wrong(std::string_view member, const Json& v, const char* expected) const {
    detail::corrupt(source_, "member '" + std::string(member) + "' is " + v.type_name() + ", expected " + expected);
  }
  void string(const Json& obj, const char* member, std::string& out) const {
    auto it = obj.find(member);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_string()) wrong(member, *it, "a string");
    out = it->get<std::string>();
  }
  void integer(const Json& obj, const char* member, std::optional<int>& out) const {
    auto it = obj.find(member);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_number_integer()) wrong(member, *it, "an integer");
    auto v = it->get<std::int64_t>();
    if (v < INT32_MIN || v > INT32_MAX) detail::corrupt(source_, "member '" + std::string(member) + "' = " + std::to_string(v) + " is out of range");
    out = static_cast<int>(v);
  }
  void number(const Json& obj, const char* member, std::optional<double>& out) const {
    auto it = obj.find(member);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_number()) wrong(member, *it, "a number");
    out = it->get<double>();
  }
  const Json* object(const Json& obj, const char* member) const {
    auto it = obj.find(member);
    if (it == obj.end() || it->is_null()) return nullptr;
    if (!it->is_object()) wrong(member, *it, "an object");
    return &*it;
  }
  // {"<first>": int, "<second>": int} as T{first, second}; both members are required.
  template <typename T>
  std::optional<T> pair(const Json& obj, const char* member, const char* first, const char* second) const {
    const Json* o = object(obj, member);
    if (!o) return std::nullopt;
    std::optional<int> a, b;
    integer(*o, first, a);
    integer(*o, second, b);
    if (!a || !b) detail::corrupt(source_, "member '" + std::string(member) + "' needs '" + first + "' and '" + second + "'");
    return T{*a, *b};
  }
  const Json& root() const { return j_; }
  std::string_view source() const { return source_; }

 private:
  const Json& j_;
  std::string_view source_;
};

}  // namespace

std::string to_json(const GenerationInfo& info) {
  Json j;
  j["schema"] = kSchema;
  j["version"] = kVersion;
  auto str = [&](const char* k, const std::string& v) { if (!v.empty()) j[k] = v; };
  str("generator", info.generator);
  j["prompt"] = info.prompt;
  j["negative_prompt"] = info.negative_prompt;
  if (info.steps) j["steps"] = *info.steps;
  str("sampler", info.sampler);
  str("schedule", info.schedule);
  if (info.cfg_scale) j["cfg_scale"] = *info.cfg_scale;
  if (info.seed) j["seed"] = *info.seed;
  if (info.width) j["width"] = *info.width;
  if (info.height) j["height"] = *info.height;
  Json model = Json::object();
  if (!info.model_name.empty()) model["name"] = info.model_name;
  if (!info.model_hash.empty()) model["hash"] = info.model_hash;
  if (!info.model_family.empty()) model["family"] = info.model_family;
  if (!info.prediction.empty()) model["prediction"] = info.prediction;
  if (!model.empty()) j["model"] = std::move(model);
  if (info.clip_skip) j["clip_skip"] = *info.clip_skip;
  if (info.strength) j["strength"] = *info.strength;
  if (info.steps_run) j["steps_run"] = *info.steps_run;
  if (info.start_sigma) j["start_sigma"] = *info.start_sigma;
  if (info.batch_size || info.batch_index) {
    Json batch = Json::object();
    if (info.batch_size) batch["size"] = *info.batch_size;
    if (info.batch_index) batch["index"] = *info.batch_index;
    j["batch"] = std::move(batch);
  }
  Json conditioning = Json::object();
  if (auto& o = info.original_size) conditioning["original"] = {{"width", o->width}, {"height", o->height}};
  if (auto& c = info.crop_top_left) conditioning["crop"] = {{"left", c->left}, {"top", c->top}};
  if (auto& t = info.target_size) conditioning["target"] = {{"width", t->width}, {"height", t->height}};
  if (!conditioning.empty()) j["size_conditioning"] = std::move(conditioning);
  if (info.aesthetic_score) j["aesthetic_score"] = *info.aesthetic_score;
  if (info.negative_aesthetic_score) j["negative_aesthetic_score"] = *info.negative_aesthetic_score;
  if (!info.extra.empty()) {
    Json extra = Json::array();
    for (const auto& [k, v] : info.extra) extra.push_back(Json::array({k, v}));
    j["extra"] = std::move(extra);
  }
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

GenerationInfo from_json(std::string_view text, std::string_view source_name) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) detail::corrupt(source_name, "strata metadata is not valid JSON");
  if (!j.is_object()) detail::corrupt(source_name, std::string("strata metadata is ") + j.type_name() + ", expected a JSON object");
  Reader r(j, source_name);
  std::string schema;
  r.string(j, "schema", schema);
  if (!schema.empty() && schema != kSchema) {
    detail::corrupt(source_name, "strata metadata schema is '" + schema + "', expected '" + kSchema + "'");
  }
  GenerationInfo info;
  r.string(j, "generator", info.generator);
  r.string(j, "prompt", info.prompt);
  r.string(j, "negative_prompt", info.negative_prompt);
  r.integer(j, "steps", info.steps);
  r.string(j, "sampler", info.sampler);
  r.string(j, "schedule", info.schedule);
  r.number(j, "cfg_scale", info.cfg_scale);
  if (auto it = j.find("seed"); it != j.end() && !it->is_null()) {
    if (!it->is_number_unsigned()) r.wrong("seed", *it, "a non-negative integer");
    info.seed = it->get<std::uint64_t>();
  }
  r.integer(j, "width", info.width);
  r.integer(j, "height", info.height);
  if (const Json* model = r.object(j, "model")) {
    r.string(*model, "name", info.model_name);
    r.string(*model, "hash", info.model_hash);
    r.string(*model, "family", info.model_family);
    r.string(*model, "prediction", info.prediction);
  }
  r.integer(j, "clip_skip", info.clip_skip);
  r.number(j, "strength", info.strength);
  r.integer(j, "steps_run", info.steps_run);
  r.number(j, "start_sigma", info.start_sigma);
  if (const Json* batch = r.object(j, "batch")) {
    r.integer(*batch, "size", info.batch_size);
    r.integer(*batch, "index", info.batch_index);
  }
  if (const Json* conditioning = r.object(j, "size_conditioning")) {
    info.original_size = r.pair<PixelSize>(*conditioning, "original", "width", "height");
    info.crop_top_left = r.pair<PixelOffset>(*conditioning, "crop", "left", "top");
    info.target_size = r.pair<PixelSize>(*conditioning, "target", "width", "height");
  }
  r.number(j, "aesthetic_score", info.aesthetic_score);
  r.number(j, "negative_aesthetic_score", info.negative_aesthetic_score);
  if (auto it = j.find("extra"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) r.wrong("extra", *it, "an array of [key, value] pairs");
    for (const auto& pair : *it) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        detail::corrupt(source_name, "member 'extra' holds " + pair.dump() + ", expected a [key, value] pair of strings");
      }
      info.extra.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
  }
  return info;
}

}  // namespace strata::io
