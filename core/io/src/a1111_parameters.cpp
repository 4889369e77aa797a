// AUTOMATIC1111 `parameters` text: writing and reading.
// Ref: A1111 modules/processing.py create_infotext (layout, omitted None values) and
// modules/infotext_utils.py quote / unquote / parse_generation_parameters (the parameter regex
// \s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$), implemented here as a linear scanner).
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <string>

#include "detail.h"
#include "strata/io/generation_info.h"

namespace strata::io {

namespace detail {

std::string format_number(double value) {
  if (!std::isfinite(value)) return value != value ? "nan" : (value > 0 ? "inf" : "-inf");
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, r.ptr);
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

template <typename T>
std::optional<T> parse_whole(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  T value{};
  auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<int> parse_int(std::string_view text) { return parse_whole<int>(text); }
std::optional<std::uint64_t> parse_u64(std::string_view text) { return parse_whole<std::uint64_t>(text); }
std::optional<double> parse_double(std::string_view text) {
  auto v = parse_whole<double>(text);
  if (v && !std::isfinite(*v)) return std::nullopt;
  return v;
}

}  // namespace detail

const std::string* GenerationInfo::find_extra(std::string_view key) const {
  for (const auto& [k, v] : extra) {
    if (k == key) return &v;
  }
  return nullptr;
}

namespace {

using detail::trim;

bool is_word(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || u >= 0x80;  // non-ASCII: Python's \w matches most letters
}
bool is_key_char(char c) { return is_word(c) || c == ' ' || c == '-' || c == '/'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

bool valid_key(std::string_view key) {
  if (key.size() < 2 || !is_word(key.front())) return false;
  for (char c : key) {
    if (!is_key_char(c)) return false;
  }
  return true;
}

// A1111 quote(): JSON-quote values that would break the "k: v, k: v" line.
std::string quote(const std::string& value) {
  bool needs = value.find_first_of(",:\n") != std::string::npos || (!value.empty() && value.front() == '"');
  if (!needs) return value;
  return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A1111 unquote(): a value wrapped in double quotes is a JSON string; otherwise kept as is.
std::string unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    auto j = nlohmann::json::parse(v, nullptr, false);
    if (j.is_string()) return j.get<std::string>();
  }
  return std::string(v);
}

struct Param {
  std::string_view key;
  std::string_view value;
};

// All "Key: value" pairs of a line, as re.findall(re_param, line) finds them.
std::vector<Param> find_params(std::string_view s) {
  std::vector<Param> out;
  const std::size_t n = s.size();
  std::size_t p = 0;
  while (p < n) {
    std::size_t q = p;
    while (q < n && is_space(s[q])) ++q;
    if (q >= n) break;
    if (!is_word(s[q])) { p = q + 1; continue; }
    std::size_t k = q + 1;
    while (k < n && is_key_char(s[k])) ++k;
    // Any match starting inside [p, k) would end its key at k too, so on failure skip to k.
    if (k - q < 2 || k >= n || s[k] != ':') { p = k; continue; }
    std::size_t v = k + 1;
    while (v < n && is_space(s[v])) ++v;
    if (v < n && s[v] == '"') {  // "(?:\\.|[^\\"])+" followed by ',' or the end
      std::size_t i = v + 1;
      bool ok = true;
      while (i < n && s[i] != '"') {
        if (s[i] == '\\') {
          if (i + 1 >= n) { ok = false; break; }
          i += 2;
        } else {
          ++i;
        }
      }
      if (ok && i < n && i > v + 1 && (i + 1 == n || s[i + 1] == ',')) {
        out.push_back({s.substr(q, k - q), s.substr(v, i + 1 - v)});
        p = i + 1 == n ? n : i + 2;
        continue;
      }
    }
    std::size_t e = v;
    while (e < n && s[e] != ',') ++e;
    out.push_back({s.substr(q, k - q), s.substr(v, e - v)});
    p = e < n ? e + 1 : n;
  }
  return out;
}

void set_sampler(GenerationInfo& info, const std::string& name, bool schedule_given) {
  if (auto id = sampler_id_from_a1111(name)) { info.sampler = *id; return; }
  // Before v1.9 the schedule was part of the name: "DPM++ 2M Karras", "DPM++ 2M SDE Exponential".
  for (std::string_view suffix : {" Karras", " Exponential"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      if (auto id = sampler_id_from_a1111(std::string_view(name).substr(0, name.size() - suffix.size()))) {
        info.sampler = *id;
        if (!schedule_given) info.schedule = *schedule_id_from_a1111(suffix.substr(1));
        return;
      }
    }
  }
  // stable-diffusion.cpp writes "<id> <schedule>", e.g. "euler_a karras".
  auto space = name.find(' ');
  if (space != std::string::npos && a1111_sampler_name(std::string_view(name).substr(0, space))) {
    info.sampler = name.substr(0, space);
    if (!schedule_given) info.schedule = name.substr(space + 1);
    return;
  }
  info.sampler = name;
}

void apply_param(GenerationInfo& info, const std::string& key, const std::string& value, bool schedule_given) {
  using namespace detail;
  auto keep = [&] { info.extra.emplace_back(key, value); };
  if (key == "Steps") { if (auto v = parse_int(value)) info.steps = v; else keep(); }
  else if (key == "Sampler") set_sampler(info, value, schedule_given);
  else if (key == "Schedule type") {
    if (value == "Automatic") info.schedule.clear();
    else info.schedule = schedule_id_from_a1111(value).value_or(value);
  }
  else if (key == "CFG scale") { if (auto v = parse_double(value)) info.cfg_scale = v; else keep(); }
  else if (key == "Seed") { if (auto v = parse_u64(value)) info.seed = v; else keep(); }
  else if (key == "Size") {
    if (auto p = parse_pair(value)) { info.width = p->first; info.height = p->second; } else keep();
  }
  else if (key == "Original size" || key == "Target size") {
    auto& size = key == "Original size" ? info.original_size : info.target_size;
    if (auto p = parse_pair(value)) size = PixelSize{p->first, p->second}; else keep();
  }
  else if (key == "Crop top-left") {
    if (auto p = parse_pair(value)) info.crop_top_left = PixelOffset{p->first, p->second}; else keep();
  }
  else if (key == "Model family") info.model_family = normalise_model_family(value);
  else if (key == "Prediction") info.prediction = normalise_prediction(value);
  else if (key == "Aesthetic score") { if (auto v = parse_double(value)) info.aesthetic_score = v; else keep(); }
  else if (key == "Negative aesthetic score") { if (auto v = parse_double(value)) info.negative_aesthetic_score = v; else keep(); }
  else if (key == "Model hash") info.model_hash = value;
  else if (key == "Model") info.model_name = value;
  else if (key == "Denoising strength") { if (auto v = parse_double(value)) info.strength = v; else keep(); }
  else if (key == "Clip skip") { if (auto v = parse_int(value)) info.clip_skip = v; else keep(); }
  else if (key == "Batch size") { if (auto v = parse_int(value)) info.batch_size = v; else keep(); }
  else if (key == "Batch pos") { if (auto v = parse_int(value)) info.batch_index = v; else keep(); }
  else if (key == "Steps run") { if (auto v = parse_int(value)) info.steps_run = v; else keep(); }
  else if (key == "Start sigma") { if (auto v = parse_double(value)) info.start_sigma = v; else keep(); }
  else keep();
}

}  // namespace

std::string format_a1111_parameters(const GenerationInfo& info) {
  using detail::format_number;
  std::vector<std::pair<std::string, std::string>> params;
  auto add = [&](const char* key, std::string value) { params.emplace_back(key, std::move(value)); };
  if (info.steps) add("Steps", std::to_string(*info.steps));
  if (!info.sampler.empty()) add("Sampler", a1111_sampler_name(info.sampler).value_or(info.sampler));
  if (!info.schedule.empty()) add("Schedule type", a1111_schedule_name(info.schedule).value_or(info.schedule));
  if (info.cfg_scale) add("CFG scale", format_number(*info.cfg_scale));
  if (info.seed) add("Seed", std::to_string(*info.seed));
  if (info.width && info.height) add("Size", detail::format_pair(*info.width, *info.height));
  if (!info.model_hash.empty()) add("Model hash", info.model_hash);
  if (!info.model_name.empty()) add("Model", info.model_name);
  if (!info.model_family.empty()) add("Model family", info.model_family);
  if (!info.prediction.empty()) add("Prediction", info.prediction);
  if (auto& o = info.original_size) add("Original size", detail::format_pair(o->width, o->height));
  if (auto& c = info.crop_top_left) add("Crop top-left", detail::format_pair(c->left, c->top));
  if (auto& t = info.target_size) add("Target size", detail::format_pair(t->width, t->height));
  if (info.aesthetic_score) add("Aesthetic score", format_number(*info.aesthetic_score));
  if (info.negative_aesthetic_score) add("Negative aesthetic score", format_number(*info.negative_aesthetic_score));
  if (info.strength) add("Denoising strength", format_number(*info.strength));
  if (info.clip_skip) add("Clip skip", std::to_string(*info.clip_skip));
  if (info.batch_size) add("Batch size", std::to_string(*info.batch_size));
  if (info.batch_index) add("Batch pos", std::to_string(*info.batch_index));
  if (info.steps_run) add("Steps run", std::to_string(*info.steps_run));
  if (info.start_sigma) add("Start sigma", format_number(*info.start_sigma));
  for (const auto& [k, v] : info.extra) {
    if (valid_key(k) && !v.empty()) params.emplace_back(k, v);
  }

  std::string out = info.prompt;
  if (!info.negative_prompt.empty()) out += "\nNegative prompt: " + info.negative_prompt;
  out += "\n";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i) out += ", ";
    out += params[i].first + ": " + quote(params[i].second);
  }
  return std::string(trim(out));
}

GenerationInfo parse_a1111_parameters(std::string_view text) {
  GenerationInfo info;
  std::vector<std::string_view> lines;
  std::string_view rest = trim(text);
  while (true) {
    auto nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  std::string_view last = lines.back();
  lines.pop_back();
  auto params = find_params(last);
  if (params.size() < 3) {
    lines.push_back(last);
    params.clear();
  }
  bool negative = false;
  for (auto line : lines) {
    line = trim(line);
    if (line.starts_with("Negative prompt:")) {
      negative = true;
      line = trim(line.substr(16));
    }
    std::string& target = negative ? info.negative_prompt : info.prompt;
    if (!target.empty()) target += '\n';
    target += line;
  }

  bool schedule_given = false;
  for (const auto& p : params) schedule_given = schedule_given || p.key == "Schedule type";
  for (const auto& p : params) {
    if (p.value.empty()) continue;  // A1111 skips these too (its parser fails on v[0])
    std::string value = unquote(p.value);
    apply_param(info, std::string(p.key), value, schedule_given);
  }
  const std::string* version = info.find_extra("Version");
  if (version && version->starts_with("v")) info.generator = "AUTOMATIC1111 " + *version;
  else if (version && version->starts_with("f")) info.generator = "Forge " + *version;
  else info.generator = "AUTOMATIC1111-compatible";
  return info;
}

}  // namespace strata::io
