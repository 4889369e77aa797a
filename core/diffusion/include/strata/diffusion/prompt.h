// strata/diffusion/prompt.h — AUTOMATIC1111 prompt-attention syntax and 75-token chunking.
//
// parse_prompt_attention() turns "a (red:1.2) [cat] BREAK sky" into weighted text fragments,
// exactly as A1111's modules/prompt_parser.py (commit 28bd8e14) does; tokenize_prompt() tokenizes
// those fragments and packs them into chunks of [BOS] + 75 tokens + [EOS] with one weight per token,
// as A1111's FrozenCLIPEmbedderWithCustomWordsBase.tokenize_line does. The text encoder encodes each
// chunk and concatenates the results along the sequence axis. The full rules, including where Strata
// departs from A1111, are in docs/prompt-syntax.md.
//
// Ownership: every function returns values; nothing is retained. Thread-safety: all functions are
// pure and may be called from any thread (the Tokenizer contract makes encode() thread-safe).
// Errors: strata::doc::Error — InvalidArgument for a malformed weight such as "(x:1.2.3)" or bad
// options, TooLarge for a prompt longer than kMaxPromptBytes. Any other input (unbalanced brackets,
// control characters, invalid UTF-8) is accepted with the documented meaning.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strata/diffusion/tokenizer.h"

namespace strata::diffusion {

inline constexpr int kChunkTokens = 75;                 // prompt tokens per chunk
inline constexpr int kChunkLength = kChunkTokens + 2;   // with BOS and EOS: CLIP's 77 positions
inline constexpr std::size_t kMaxPromptBytes = 65536;   // longer prompts: Error(TooLarge)

struct PromptFragment {
  std::string text;     // UTF-8 (invalid input bytes were replaced by U+FFFD); BREAK: "BREAK"
  float weight = 1.0f;  // attention multiplier; for a BREAK, A1111's marker value (-1 × brackets)
  bool is_break = false;

  bool operator==(const PromptFragment&) const = default;
};

// A1111 attention syntax: "(x)" ×1.1, "[x]" ÷1.1 (× 1/1.1), "(x:1.5)" ×1.5, "\(" "\)" "\[" "\]"
// "\\" literal, a stray "\" vanishes, "BREAK" (upper case, a whole word) starts a new chunk.
// Unbalanced brackets are literal (closing) or run to the end of the prompt (opening). Adjacent
// fragments with equal weights are merged; the result is never empty ("" gives {"", 1}).
// Throws Error(InvalidArgument) where A1111 raises: "(x:1.2.3)", "(x:.)" — a weight that matches
// `[+-]?[.\d]+` but is not a number. Throws Error(TooLarge) beyond kMaxPromptBytes.
std::vector<PromptFragment> parse_prompt_attention(std::string_view prompt);

struct ChunkOptions {
  // false = A1111 "Emphasis: None": the whole prompt is one fragment of weight 1 (no BREAK either).
  bool emphasis = true;
  // A1111 "comma_padding_backtrack" (default 20, 0 disables, at most 74): when a chunk is full and
  // its last comma is at most this many tokens back, the tokens after the comma move to the next chunk.
  int comma_padding_backtrack = 20;
  // The comma token; unset = tokenizer.encode(",") when that is a single id (267 for CLIP).
  std::optional<int> comma_id;
};

// Token ids and weights of a prompt, chunk by chunk. ids[c] = [BOS, t…, EOS, pad…]: the prompt
// tokens of chunk c, then EOS, then pad_id up to 77 (SD1: pad = EOS; SD2/OpenCLIP: pad = 0).
// weights[c][i] is the token's attention weight; 1.0 for BOS, EOS and padding.
struct PromptChunks {
  std::vector<std::array<int, kChunkLength>> ids;
  std::vector<std::array<float, kChunkLength>> weights;
  int token_count = 0;  // A1111's count: 75 per chunk except the last, which counts its tokens
  int bos_id = 0;
  int eos_id = 0;
  int pad_id = 0;

  std::size_t size() const { return ids.size(); }
};

// Parses (per options.emphasis), tokenizes each fragment with tokenizer.encode() and chunks.
// Always returns at least one chunk; "" gives one chunk of [BOS, EOS, pad × 75].
// Throws what parse_prompt_attention throws, Error(InvalidArgument) for bad options, and whatever
// the tokenizer throws.
PromptChunks tokenize_prompt(const Tokenizer& tokenizer, std::string_view prompt,
                             const ChunkOptions& options = {});

// Appends empty chunks ([BOS, EOS, pad × 75], weights 1) until chunks.size() >= n, so a negative
// prompt matches the positive one (A1111 pads the shorter of cond / uncond the same way). A no-op
// when there are already n or more. token_count is unchanged.
void pad_to_chunks(PromptChunks& chunks, std::size_t n);

// The number of prompt tokens A1111's UI counter shows (= tokenize_prompt(...).token_count).
int count_tokens(const Tokenizer& tokenizer, std::string_view prompt, const ChunkOptions& options = {});

// The counter's denominator: the token capacity of the chunks the count needs, 75 · ⌈max(n,1)/75⌉.
int token_capacity(int token_count);

}  // namespace strata::diffusion
