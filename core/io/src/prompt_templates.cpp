#include "strata/io/prompt_templates.h"

#include <nlohmann/json.hpp>

#include "strata/doc/error.h"

namespace strata::io {

namespace {

using nlohmann::json;

doc::Error corrupt(std::string_view source, const std::string& what) {
  return doc::Error(doc::ErrorCode::CorruptFile, std::string(source) + ": " + what);
}

std::string string_member(const json& o, std::initializer_list<const char*> keys, std::string_view source,
                          std::size_t index) {
  for (const char* k : keys) {
    const auto it = o.find(k);
    if (it == o.end() || it->is_null()) continue;
    if (!it->is_string()) {
      throw corrupt(source, "template " + std::to_string(index + 1) + ": \"" + k + "\" must be a string");
    }
    return it->get<std::string>();
  }
  return {};
}

PromptTemplate from_object(const json& o, std::string_view source, std::size_t index, bool invoke) {
  if (!o.is_object()) throw corrupt(source, "template " + std::to_string(index + 1) + " is not an object");
  PromptTemplate t;
  t.name = string_member(o, {"name"}, source, index);
  t.positive = invoke ? string_member(o, {"positive_prompt", "prompt"}, source, index)
                      : string_member(o, {"positive", "prompt", "positive_prompt"}, source, index);
  t.negative = invoke ? string_member(o, {"negative_prompt"}, source, index)
                      : string_member(o, {"negative", "negative_prompt"}, source, index);
  if (t.name.empty()) throw corrupt(source, "template " + std::to_string(index + 1) + " has no name");
  return t;
}

// RFC 4180 CSV: quoted fields may hold commas, newlines and "" for a quote.
std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, field_started = false;
  auto end_field = [&] {
    rows.back().push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_field();
      rows.emplace_back();
    } else {
      field += c;
      field_started = true;
    }
  }
  if (field_started || !field.empty() || !rows.back().empty()) end_field();
  std::erase_if(rows, [](const auto& r) { return r.empty() || (r.size() == 1 && r[0].empty()); });
  return rows;
}

std::vector<PromptTemplate> from_csv(std::string_view text, std::string_view source) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM (spreadsheets)
  const auto rows = parse_csv(text);
  if (rows.empty()) return {};
  int name = -1, pos = -1, neg = -1;
  for (std::size_t c = 0; c < rows[0].size(); ++c) {
    const std::string& h = rows[0][c];
    if (h == "name") name = static_cast<int>(c);
    if (h == "prompt" || h == "positive_prompt") pos = static_cast<int>(c);
    if (h == "negative_prompt") neg = static_cast<int>(c);
  }
  if (name < 0 || pos < 0) {
    throw corrupt(source, "not a template file: expected CSV columns name, prompt, negative_prompt (InvokeAI), "
                          "or JSON");
  }
  std::vector<PromptTemplate> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    auto cell = [&](int c) { return c >= 0 && static_cast<std::size_t>(c) < rows[r].size() ? rows[r][c] : std::string(); };
    PromptTemplate t{cell(name), cell(pos), cell(neg)};
    if (t.name.empty()) throw corrupt(source, "CSV row " + std::to_string(r + 1) + " has no name");
    out.push_back(std::move(t));
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + '"';
}

}  // namespace

std::string apply_template_text(std::string_view template_text, std::string_view user_text) {
  if (template_text.empty()) return std::string(user_text);
  const auto at = template_text.find(kPromptPlaceholder);
  if (at == std::string_view::npos) {
    if (user_text.empty()) return std::string(template_text);
    return std::string(user_text) + " " + std::string(template_text);
  }
  std::string out(template_text.substr(0, at));
  out += user_text;
  out += template_text.substr(at + kPromptPlaceholder.size());
  return out;
}

TemplatedPrompts apply_template(const PromptTemplate& t, std::string_view positive, std::string_view negative) {
  return {apply_template_text(t.positive, positive), apply_template_text(t.negative, negative)};
}

std::vector<PromptTemplate> parse_templates(std::string_view text, std::string_view source) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  if (text[first] != '{' && text[first] != '[') return from_csv(text, source);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw corrupt(source, std::string("malformed JSON: ") + e.what());
  }
  std::vector<PromptTemplate> out;
  if (j.is_array()) {  // InvokeAI
    for (std::size_t i = 0; i < j.size(); ++i) out.push_back(from_object(j[i], source, i, true));
    return out;
  }
  const auto list = j.find("templates");
  if (j.value("schema", std::string()) != "strata.templates" || list == j.end() || !list->is_array()) {
    throw corrupt(source, "not a template file: expected {\"schema\": \"strata.templates\", \"templates\": [...]}");
  }
  for (std::size_t i = 0; i < list->size(); ++i) out.push_back(from_object((*list)[i], source, i, false));
  return out;
}

std::string templates_to_json(const std::vector<PromptTemplate>& templates) {
  json list = json::array();
  for (const auto& t : templates) list.push_back({{"name", t.name}, {"positive", t.positive}, {"negative", t.negative}});
  json j{{"schema", "strata.templates"}, {"version", 1}, {"templates", list}};
  return j.dump(2) + "\n";
}

std::string templates_to_invokeai_json(const std::vector<PromptTemplate>& templates) {
  json list = json::array();
  for (const auto& t : templates) {
    list.push_back({{"name", t.name}, {"prompt", t.positive}, {"negative_prompt", t.negative}});
  }
  return list.dump(2) + "\n";
}

std::string templates_to_invokeai_csv(const std::vector<PromptTemplate>& templates) {
  std::string out = "name,prompt,negative_prompt\r\n";
  for (const auto& t : templates) {
    out += csv_field(t.name) + "," + csv_field(t.positive) + "," + csv_field(t.negative) + "\r\n";
  }
  return out;
}

}  // namespace strata::io
