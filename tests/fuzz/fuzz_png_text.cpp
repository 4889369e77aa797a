// libFuzzer target for strata_io's text parsers. On arbitrary bytes:
//  * decode_image_text / probe_image_header either succeed or throw doc::Error;
//  * parse_a1111_parameters and every metadata reader never throw, and what they return can be
//    written back (format_a1111_parameters, to_json) and read again without error;
//  * values read from image text are valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "strata/doc/error.h"
#include "strata/io/generation_info.h"
#include "strata/io/image_codec.h"
#include "strata/io/metadata.h"
#include "strata/io/png_text.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void exercise(const strata::io::GenerationInfo& info) {
  using namespace strata::io;
  auto again = parse_a1111_parameters(format_a1111_parameters(info));
  (void)again;
  std::string json = to_json(info);  // must not throw, even for invalid UTF-8
  auto reparsed = from_json(json, "fuzz");
  check(sanitize_utf8(reparsed.prompt) == reparsed.prompt);
  if (sanitize_utf8(info.prompt) == info.prompt) check(reparsed.prompt == info.prompt);
  if (sanitize_utf8(info.negative_prompt) == info.negative_prompt) check(reparsed.negative_prompt == info.negative_prompt);
  check(reparsed.seed == info.seed && reparsed.steps == info.steps && reparsed.extra.size() == info.extra.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace strata::io;
  std::span<const std::uint8_t> bytes(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);

  try {
    (void)probe_image_header(bytes, "fuzz");
  } catch (const strata::doc::Error&) {
  }
  std::vector<TextChunk> chunks;
  try {
    chunks = decode_image_text(bytes, "fuzz");
  } catch (const strata::doc::Error&) {
  }
  for (const auto& c : chunks) check(sanitize_utf8(c.key) == c.key && sanitize_utf8(c.value) == c.value);
  if (auto info = extract_generation_metadata(chunks)) exercise(*info);

  exercise(parse_a1111_parameters(text));
  for (const char* key : {"invokeai_metadata", "sd-metadata", "prompt", "workflow", "strata"}) {
    if (auto info = extract_generation_metadata({{key, std::string(text)}})) exercise(*info);
  }
  if (auto info = parse_fooocus_parameters(text)) exercise(*info);
  try {
    exercise(from_json(text, "fuzz"));
  } catch (const strata::doc::Error&) {
  }
  return 0;
}
