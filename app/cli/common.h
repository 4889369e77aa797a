// Helpers shared by strata-cli subcommands: exit-code mapping and terminal detection.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <utility>

#include "strata/diffusion/pipeline.h"
#include "strata/doc/error.h"
#include "strata/generate/settings.h"

namespace strata::cli {

// 2 for what the user can fix (bad file, bad argument, unsupported model), 1 for runtime
// failures, 130 for cancellation.
int exit_code_for(const doc::Error& e);

bool stderr_is_terminal();

// `model` as given, or the embedded default model (strata/io/default_model.h) when empty; throws
// doc::Error(NotFound) naming where it looked when there is none.
std::string model_or_default(const std::string& model);

// Warns on stderr when o asks for bf16 on a CPU whose bf16 products sum in bf16 (slow, inexact).
void warn_on_slow_bf16(const diffusion::PipelineOptions& o);

// An option whose word is parsed into a typed value by `parse` (throwing doc::Error for an unknown
// word, which CLI11 reports as a validation error naming the option); `--help` lists `words`.
template <typename T, typename Parse>
CLI::Option* add_choice(CLI::App* app, const std::string& flags, T& value, Parse parse, const std::string& words,
                        std::string_view shown_default, const std::string& help) {
  auto* o = app->add_option_function<std::string>(
      flags,
      [&value, parse, flags](const std::string& word) {
        try {
          value = parse(word);
        } catch (const doc::Error& e) {
          throw CLI::ValidationError(flags, e.what());
        }
      },
      help + ": " + words);
  o->default_str(std::string(shown_default));
  return o;
}

// The same for an enum with a name table (strata/doc/names.h).
template <typename Table>
CLI::Option* add_choice(CLI::App* app, const std::string& flags, doc::NamedValue<Table>& value, const Table& table,
                        const std::string& help) {
  auto parse = [&table, flags](const std::string& word) { return doc::parse_named(table, word, flags); };
  return add_choice(app, flags, value, parse, doc::joined_ids(table), doc::id_of(table, value), help);
}

// --sampler, --schedule and --convention into typed settings (ids from strata/doc/sampling.h).
void add_sampling_options(CLI::App* app, generate::GenerationSettings& settings);

// "WxH" (sizes) or "LEFTxTOP" (offsets): two integers in 0..16384 around an 'x'. Throws
// doc::Error(InvalidArgument) naming `flag` and the value.
std::pair<int, int> parse_pixel_pair(const std::string& word, const std::string& flag);

// SDXL conditioning: --original-size WxH, --crop-top-left LEFTxTOP, --target-size WxH (0 = the size
// generated), --aesthetic-score, --negative-aesthetic-score (refiner; finite numbers).
void add_sdxl_options(CLI::App* app, generate::GenerationSettings& settings);

}  // namespace strata::cli
