// strata/io/prompt_templates.h — prompt templates (InvokeAI "style presets", A1111 "styles"): a
// positive and a negative text with a `{prompt}` placeholder, applied to the user's prompts.
//
// Substitution follows InvokeAI (frontend stylePresets buildPresetModifiedPrompt): when the
// template contains `{prompt}`, its FIRST occurrence is replaced by the user's text (later ones
// stay literally); otherwise the result is "<user text> <template>". The same rule applies to the
// positive and the negative prompt. Departures (docs/prompt-templates.md): an empty template leaves
// the user's text unchanged, an empty user text with a template without `{prompt}` gives the
// template alone (no leading space), and the user's text is inserted literally (JavaScript's
// String.replace would interpret `$&` in it).
//
// Files: Strata's JSON { "schema": "strata.templates", "version": 1, "templates": [ { "name",
// "positive", "negative" } ] }; InvokeAI's import formats — a JSON list of { "name", "prompt" or
// "positive_prompt", "negative_prompt" } and CSV with the columns name, prompt (or
// positive_prompt), negative_prompt (its export format).
// Pure functions on values; any thread. Errors: doc::Error(CorruptFile) naming `source_name`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata::io {

inline constexpr std::string_view kPromptPlaceholder = "{prompt}";

struct PromptTemplate {
  std::string name;
  std::string positive;  // e.g. "{prompt}, watercolour painting, soft washes"
  std::string negative;  // e.g. "photo, 3d render"

  bool operator==(const PromptTemplate&) const = default;
};

// One text: InvokeAI's rule above.
std::string apply_template_text(std::string_view template_text, std::string_view user_text);

struct TemplatedPrompts {
  std::string positive;
  std::string negative;
};
TemplatedPrompts apply_template(const PromptTemplate& t, std::string_view positive, std::string_view negative);

// Reads Strata JSON, an InvokeAI JSON list or InvokeAI CSV (detected from the first non-blank
// character: '{' Strata, '[' InvokeAI JSON, anything else CSV). Templates without a name are an
// error; duplicate names are kept (the caller decides).
std::vector<PromptTemplate> parse_templates(std::string_view text, std::string_view source_name = "templates");

std::string templates_to_json(const std::vector<PromptTemplate>& templates);           // Strata
std::string templates_to_invokeai_json(const std::vector<PromptTemplate>& templates);  // InvokeAI import
std::string templates_to_invokeai_csv(const std::vector<PromptTemplate>& templates);   // InvokeAI export

}  // namespace strata::io
