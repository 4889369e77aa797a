// tokenizer/text_fix.h — ftfy-style repair of prompt text, as transformers' CLIPTokenizer runs it.
//
// fix_text() reproduces ftfy 6.1 fix_text() with its default configuration: per line, repeated
// until stable: HTML entities (unless the text holds a literal '<'), mojibake repair, C1 controls
// → Windows-1252, Latin ligatures, half/full-width forms, curly quotes, line breaks, terminal
// escapes, control characters, NFC. Mojibake detection ports ftfy's badness heuristic and its
// single-byte encodings (latin-1, sloppy windows-125x, iso-8859-2, macroman, cp437).
// Known gaps: Python's re \d and \w are approximated by ASCII digits and L*/N*/'_'.
// Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace strata::diffusion::text {

std::u32string fix_text(std::u32string_view text);

// The steps, exposed for tests.
std::u32string unescape_html(std::u32string_view text);
std::u32string fix_encoding(std::u32string_view text);  // mojibake.cpp
bool is_bad(std::u32string_view text);                  // ftfy badness.is_bad; mojibake.cpp
std::u32string fix_c1_controls(std::u32string_view text);
std::u32string remove_terminal_escapes(std::u32string_view text);
std::u32string remove_control_chars(std::u32string_view text);

// The CLIP tokenizer's whole pre-processing: fix_text, collapse runs of whitespace (Python's
// isspace) to one space, strip, lower-case with Python's str.lower().
std::u32string clip_clean(std::u32string_view text);

}  // namespace strata::diffusion::text
