// Tests of the prompt part: A1111 attention syntax (against the reference kit's 70 cases) and
// 75-token chunking (against a fake whitespace tokenizer, so they do not depend on CLIP's BPE).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "reference.h"
#include "strata/diffusion/prompt.h"
#include "strata/doc/error.h"

using namespace strata::diffusion;
using strata::doc::Error;
using strata::doc::ErrorCode;

namespace {

constexpr int kBos = 49406;
constexpr int kEos = 49407;
constexpr int kComma = 267;

// Words separated by whitespace; every ',' is a token of its own. "wN" → 1000 + N, any other word
// → 5000 + its length, "," → comma_id.
class FakeTokenizer : public Tokenizer {
 public:
  explicit FakeTokenizer(int pad_id = kEos, int comma_id = kComma) : pad_id_(pad_id), comma_id_(comma_id) {}

  std::vector<int> encode(std::string_view text) const override {
    std::vector<int> ids;
    std::string word;
    auto flush = [&] {
      if (word.empty()) return;
      if (word.size() > 1 && word[0] == 'w' && word.find_first_not_of("0123456789", 1) == std::string::npos) {
        ids.push_back(1000 + std::stoi(word.substr(1)));
      } else {
        ids.push_back(5000 + static_cast<int>(word.size()));
      }
      word.clear();
    };
    for (char c : text) {
      if (c == ' ' || c == '\t' || c == '\n') {
        flush();
      } else if (c == ',') {
        flush();
        ids.push_back(comma_id_);
      } else {
        word.push_back(c);
      }
    }
    flush();
    return ids;
  }
  int bos_id() const override { return kBos; }
  int eos_id() const override { return kEos; }
  int pad_id() const override { return pad_id_; }
  int vocab_size() const override { return 49408; }
  std::string token(int id) const override { return std::to_string(id); }

 private:
  int pad_id_;
  int comma_id_;
};

// "w<first> w<first+1> … w<last-1>"
std::string words(int first, int last) {
  std::string s;
  for (int i = first; i < last; ++i) s += (s.empty() ? "w" : " w") + std::to_string(i);
  return s;
}

std::vector<int> word_ids(int first, int last) {
  std::vector<int> ids;
  for (int i = first; i < last; ++i) ids.push_back(1000 + i);
  return ids;
}

// The prompt tokens of chunk c: between BOS and the EOS that ends them; checks the frame.
std::vector<int> chunk_tokens(const PromptChunks& chunks, std::size_t c) {
  const auto& ids = chunks.ids.at(c);
  REQUIRE(ids[0] == chunks.bos_id);
  std::size_t end = 1;
  while (end < ids.size() && ids[end] != chunks.eos_id) ++end;
  REQUIRE(end < ids.size());
  for (std::size_t i = end + 1; i < ids.size(); ++i) CHECK(ids[i] == chunks.pad_id);
  return {ids.begin() + 1, ids.begin() + static_cast<std::ptrdiff_t>(end)};
}

std::string fffd() { return "\xEF\xBF\xBD"; }

void check_fragments(const std::vector<PromptFragment>& got, const std::vector<PromptFragment>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("fragment " << i);
    CHECK(got[i].text == want[i].text);
    CHECK(got[i].weight == Approx(want[i].weight).epsilon(1e-6));
    CHECK(got[i].is_break == want[i].is_break);
  }
}

void check_error(std::string_view prompt, ErrorCode code, const std::string& needle) {
  try {
    parse_prompt_attention(prompt);
    FAIL("no error for " << prompt);
  } catch (const Error& e) {
    CHECK(e.code() == code);
    CHECK_THAT(e.what(), Catch::Contains(needle));
  }
}

}  // namespace

TEST_CASE("parse_prompt_attention matches A1111 on every reference case", "[prompt][reference]") {
  REQUIRE_REFERENCE();
  const auto doc = strata::test::read_json(strata::test::reference_dir() / "prompt_weight_cases.json");
  const auto& cases = doc.at("cases");
  REQUIRE(cases.size() == 70);
  int errors = 0;
  for (const auto& c : cases) {
    const std::string prompt = c.at("prompt").get<std::string>();
    INFO("prompt: " << prompt);
    const auto& result = c.at("result");
    if (result.is_object()) {  // A1111 raises: float() of a malformed number
      ++errors;
      check_error(prompt, ErrorCode::InvalidArgument, "1.2.3");
      continue;
    }
    const std::vector<PromptFragment> got = parse_prompt_attention(prompt);
    REQUIRE(got.size() == result.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      const std::string text = result[i][0].get<std::string>();
      const double weight = result[i][1].get<double>();
      INFO("fragment " << i << ": " << text << " " << weight);
      CHECK(got[i].text == text);
      CHECK(got[i].weight == Approx(weight).epsilon(1e-6));
      // Same multiplication order as Python, so the float is exactly the cast of Python's double.
      CHECK(got[i].weight == static_cast<float>(weight));
      CHECK(got[i].is_break == (text == "BREAK" && weight < 0));
    }
  }
  CHECK(errors == 1);
}

TEST_CASE("BREAK is a whole upper-case word, as Python's \\b sees it", "[prompt]") {
  check_fragments(parse_prompt_attention("a BREAK b"), {{"a", 1, false}, {"BREAK", -1, true}, {"b", 1, false}});
  // Inside brackets A1111 scales the marker (-1.1) and then no longer recognises it; Strata does.
  check_fragments(parse_prompt_attention("(a BREAK b)"),
                  {{"a", 1.1f, false}, {"BREAK", -1.1f, true}, {"b", 1.1f, false}});
  // Weight 0 makes the marker -0.0 == 0.0, so A1111 merges it into plain text.
  check_fragments(parse_prompt_attention("(a BREAK b:0)"), {{"aBREAKb", 0, false}});
  // \w is Unicode: 本 is a word character, 。 is not; U+3000 is \s.
  check_fragments(parse_prompt_attention("日本BREAK"), {{"日本BREAK", 1, false}});
  check_fragments(parse_prompt_attention("。BREAK"), {{"。", 1, false}, {"BREAK", -1, true}, {"", 1, false}});
  check_fragments(parse_prompt_attention("a\u3000BREAK\u3000b"),
                  {{"a", 1, false}, {"BREAK", -1, true}, {"b", 1, false}});
  check_fragments(parse_prompt_attention("a_BREAK b"), {{"a_BREAK b", 1, false}});
}

TEST_CASE("weights are read like Python's float() of re's [+-]?[.\\d]+", "[prompt]") {
  check_fragments(parse_prompt_attention("(x:\u0661.\u0665)"), {{"x", 1.5f, false}});  // Arabic-Indic digits
  check_fragments(parse_prompt_attention("(x:\uFF12)"), {{"x", 2.0f, false}});       // full-width 2
  check_fragments(parse_prompt_attention("(x:\u00A01.5\u3000)"), {{"x", 1.5f, false}});
  check_fragments(parse_prompt_attention("(x:-0.5)"), {{"x", -0.5f, false}});
  // A weight with no "(" open is plain text and never converted.
  check_fragments(parse_prompt_attention("x:1.2.3)"), {{"x:1.2.3)", 1, false}});
  check_fragments(parse_prompt_attention("(x:abc)"), {{"x:abc", 1.1f, false}});

  const auto big = parse_prompt_attention("(x:" + std::string(400, '9') + ")");
  CHECK(std::isinf(big.at(0).weight));
  CHECK(big.at(0).weight > 0);
  const auto tiny = parse_prompt_attention("(x:0." + std::string(400, '0') + "1)");
  CHECK(tiny.at(0).weight == 0.0f);
}

TEST_CASE("malformed weights are InvalidArgument errors naming the weight", "[prompt][errors]") {
  check_error("(word:1.2.3)", ErrorCode::InvalidArgument, "\"1.2.3\"");
  check_error("(word:1.2.3)", ErrorCode::InvalidArgument, "character 7");
  check_error("(x:.)", ErrorCode::InvalidArgument, "\".\"");
  check_error("(x:+.)", ErrorCode::InvalidArgument, "\"+.\"");
  check_error("a (b (x: 1..5 ) c)", ErrorCode::InvalidArgument, "\"1..5\"");
}

TEST_CASE("bad input: control characters and invalid UTF-8", "[prompt][errors]") {
  const std::string controls("a\0b\x01\x7f\tc\x1b[0m", 11);  // "[0m" opens a bracket: ×1/1.1
  check_fragments(parse_prompt_attention(controls),
                  {{std::string("a\0b\x01\x7f\tc\x1b", 8), 1, false}, {"0m", 1 / 1.1f, false}});
  // Each maximal ill-formed subsequence becomes one U+FFFD (Python's errors="replace").
  check_fragments(parse_prompt_attention("a\xff(b)\xc3"), {{"a" + fffd(), 1, false}, {"b", 1.1f, false}, {fffd(), 1, false}});
  CHECK(parse_prompt_attention("\xc0\xaf").at(0).text == fffd() + fffd());           // overlong
  CHECK(parse_prompt_attention("\xe2\x82x").at(0).text == fffd() + "x");            // truncated
  CHECK(parse_prompt_attention("\xed\xa0\x80").at(0).text == fffd() + fffd() + fffd());  // surrogate
  CHECK(parse_prompt_attention("\xf4\x90\x80\x80").at(0).text == fffd() + fffd() + fffd() + fffd());
  CHECK(parse_prompt_attention("\xf0\x9f\x98\x80").at(0).text == "\xf0\x9f\x98\x80");  // valid emoji
}

TEST_CASE("bad input: unbalanced brackets and deep nesting", "[prompt][errors]") {
  check_fragments(parse_prompt_attention("))]]a((["), {{"))]]a", 1, false}});
  check_fragments(parse_prompt_attention(std::string(10000, '(')), {{"", 1, false}});
  std::string nested;
  for (int i = 0; i < 3000; ++i) nested += "(a";
  nested += std::string(3000, ')');
  const auto fragments = parse_prompt_attention(nested);
  REQUIRE(fragments.size() == 3000);  // every "a" is one level deeper than the one before
  CHECK(fragments.front().text == "a");
  CHECK(fragments.front().weight == 1.1f);
  CHECK(std::isinf(fragments.back().weight));  // 1.1^3000 is finite in double, not in float
}

TEST_CASE("bad input: a 10,000-character random prompt", "[prompt][errors]") {
  // No '.' in the alphabet, so no weight can be malformed: parsing must succeed.
  const std::vector<std::string> alphabet = {"(", ")", "[", "]", "\\", ":", "1", "-", " ", "a", "BREAK",
                                             ",", "\n", "\xc3\xa9", "\xff", std::string(1, '\0')};
  std::mt19937 rng(1234);
  std::string prompt;
  while (prompt.size() < 10000) prompt += alphabet[rng() % alphabet.size()];
  std::vector<PromptFragment> fragments;
  REQUIRE_NOTHROW(fragments = parse_prompt_attention(prompt));
  REQUIRE(!fragments.empty());
  std::size_t total = 0;
  for (const auto& f : fragments) {
    total += f.text.size();
    if (f.is_break) CHECK(f.text == "BREAK");
  }
  CHECK(total <= prompt.size() * 3);  // U+FFFD is 3 bytes for 1
  const auto chunks = tokenize_prompt(FakeTokenizer(), prompt);
  CHECK(chunks.size() == chunks.weights.size());
  for (std::size_t c = 0; c < chunks.size(); ++c) chunk_tokens(chunks, c);
}

TEST_CASE("prompts beyond kMaxPromptBytes are TooLarge", "[prompt][errors]") {
  const std::string limit(kMaxPromptBytes, 'a');
  CHECK_NOTHROW(parse_prompt_attention(limit));
  check_error(limit + "a", ErrorCode::TooLarge, std::to_string(kMaxPromptBytes + 1));
  CHECK_THROWS_AS(tokenize_prompt(FakeTokenizer(), limit + "a"), Error);
}

TEST_CASE("an empty prompt is one chunk of BOS, EOS and padding", "[prompt][chunks]") {
  for (int pad : {kEos, 0}) {
    const PromptChunks chunks = tokenize_prompt(FakeTokenizer(pad), "");
    REQUIRE(chunks.size() == 1);
    CHECK(chunks.token_count == 0);
    CHECK(chunks.ids[0][0] == kBos);
    CHECK(chunks.ids[0][1] == kEos);
    for (int i = 2; i < kChunkLength; ++i) CHECK(chunks.ids[0][i] == pad);
    for (float w : chunks.weights[0]) CHECK(w == 1.0f);
  }
}

TEST_CASE("tokens carry their fragment's weight", "[prompt][chunks]") {
  const PromptChunks chunks = tokenize_prompt(FakeTokenizer(0), "w1 (w2 w3:1.5) [w4]");
  REQUIRE(chunks.size() == 1);
  CHECK(chunks.token_count == 4);
  CHECK(chunk_tokens(chunks, 0) == std::vector<int>{1001, 1002, 1003, 1004});
  const auto& w = chunks.weights[0];
  CHECK(w[0] == 1.0f);
  CHECK(w[1] == 1.0f);
  CHECK(w[2] == 1.5f);
  CHECK(w[3] == 1.5f);
  CHECK(w[4] == static_cast<float>(1 / 1.1));
  CHECK(w[5] == 1.0f);  // EOS
  CHECK(chunks.ids[0][5] == kEos);
  CHECK(chunks.ids[0][6] == 0);  // SD2-style pad
}

TEST_CASE("75 tokens fill one chunk, the 76th starts another", "[prompt][chunks]") {
  const FakeTokenizer tok;
  const PromptChunks full = tokenize_prompt(tok, words(0, 75));
  REQUIRE(full.size() == 1);
  CHECK(full.token_count == 75);
  CHECK(chunk_tokens(full, 0) == word_ids(0, 75));
  CHECK(full.ids[0][76] == kEos);

  const PromptChunks over = tokenize_prompt(tok, words(0, 76));
  REQUIRE(over.size() == 2);
  CHECK(over.token_count == 76);
  CHECK(chunk_tokens(over, 1) == word_ids(75, 76));
  CHECK(count_tokens(tok, words(0, 160)) == 160);
  CHECK(token_capacity(0) == 75);
  CHECK(token_capacity(75) == 75);
  CHECK(token_capacity(76) == 150);
}

TEST_CASE("BREAK closes the chunk and counts it as 75", "[prompt][chunks]") {
  const FakeTokenizer tok;
  const PromptChunks two = tokenize_prompt(tok, "w1 w2 BREAK w3");
  REQUIRE(two.size() == 2);
  CHECK(chunk_tokens(two, 0) == std::vector<int>{1001, 1002});
  CHECK(chunk_tokens(two, 1) == std::vector<int>{1003});
  CHECK(two.token_count == 76);

  CHECK(tokenize_prompt(tok, "BREAK").size() == 1);  // one empty chunk, nothing after it
  CHECK(tokenize_prompt(tok, "BREAK").token_count == 75);
  CHECK(tokenize_prompt(tok, "w1 BREAK").size() == 1);
  const PromptChunks three = tokenize_prompt(tok, "w1 BREAK BREAK w2");
  REQUIRE(three.size() == 3);
  CHECK(chunk_tokens(three, 1).empty());
  CHECK(tokenize_prompt(tok, "(w1 BREAK w2)").size() == 2);  // Strata: BREAK works in brackets
  // Emphasis off: the prompt is plain text, "BREAK" a word and brackets part of words.
  ChunkOptions plain;
  plain.emphasis = false;
  const PromptChunks raw = tokenize_prompt(tok, "(w1) BREAK w2", plain);
  REQUIRE(raw.size() == 1);
  CHECK(chunk_tokens(raw, 0) == std::vector<int>{5004, 5005, 1002});
}

TEST_CASE("comma backtrack moves the words after a near comma to the next chunk", "[prompt][chunks]") {
  const FakeTokenizer tok;
  // Comma at index 70 of the chunk: when the chunk is full, 75 - 70 = 5 <= 20.
  const PromptChunks near = tokenize_prompt(tok, words(0, 70) + ", w70 w71 w72 (w73) w74 w75");
  REQUIRE(near.size() == 2);
  std::vector<int> first = word_ids(0, 70);
  first.push_back(kComma);
  CHECK(chunk_tokens(near, 0) == first);
  CHECK(chunk_tokens(near, 1) == word_ids(70, 76));
  CHECK(near.weights[1][4] == 1.1f);  // (w73) moved with its weight
  CHECK(near.token_count == 75 + 6);

  // Comma at index 55: 75 - 55 = 20, still moved; at 54: 21, a hard split at 75.
  const PromptChunks edge = tokenize_prompt(tok, words(0, 55) + "," + words(55, 80));
  REQUIRE(edge.size() == 2);
  CHECK(chunk_tokens(edge, 0).size() == 56);
  CHECK(chunk_tokens(edge, 0).back() == kComma);
  const PromptChunks far = tokenize_prompt(tok, words(0, 54) + "," + words(54, 80));
  REQUIRE(far.size() == 2);
  CHECK(chunk_tokens(far, 0).size() == 75);
  CHECK(chunk_tokens(far, 1) == word_ids(74, 80));

  ChunkOptions off;
  off.comma_padding_backtrack = 0;
  CHECK(chunk_tokens(tokenize_prompt(tok, words(0, 70) + ", " + words(70, 80), off), 0).size() == 75);
  ChunkOptions wide;
  wide.comma_padding_backtrack = 74;
  CHECK(chunk_tokens(tokenize_prompt(tok, "w0, " + words(1, 80), wide), 0).size() == 2);
}

TEST_CASE("the comma id comes from the tokenizer unless given", "[prompt][chunks]") {
  const FakeTokenizer other_comma(kEos, 999);
  const std::string prompt = words(0, 70) + ", " + words(70, 80);
  CHECK(chunk_tokens(tokenize_prompt(other_comma, prompt), 0).size() == 71);
  ChunkOptions wrong;
  wrong.comma_id = kComma;  // not this tokenizer's comma: no backtrack
  CHECK(chunk_tokens(tokenize_prompt(other_comma, prompt, wrong), 0).size() == 75);

  ChunkOptions bad;
  bad.comma_padding_backtrack = 75;
  CHECK_THROWS_AS(tokenize_prompt(other_comma, "x", bad), Error);
  bad.comma_padding_backtrack = -1;
  try {
    tokenize_prompt(other_comma, "x", bad);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::InvalidArgument);
    CHECK_THAT(e.what(), Catch::Contains("comma_padding_backtrack is -1"));
  }
}

TEST_CASE("pad_to_chunks appends empty chunks to match another prompt", "[prompt][chunks]") {
  const FakeTokenizer tok(0);
  const PromptChunks positive = tokenize_prompt(tok, words(0, 200));
  REQUIRE(positive.size() == 3);
  PromptChunks negative = tokenize_prompt(tok, "w1");
  pad_to_chunks(negative, positive.size());
  REQUIRE(negative.size() == 3);
  REQUIRE(negative.weights.size() == 3);
  CHECK(negative.token_count == 1);
  CHECK(chunk_tokens(negative, 0) == std::vector<int>{1001});
  for (std::size_t c = 1; c < 3; ++c) {
    CHECK(chunk_tokens(negative, c).empty());
    CHECK(negative.ids[c] == tokenize_prompt(tok, "").ids[0]);
    for (float w : negative.weights[c]) CHECK(w == 1.0f);
  }
  pad_to_chunks(negative, 1);  // never shrinks
  CHECK(negative.size() == 3);
}

TEST_CASE("chunking keeps every token in order", "[prompt][chunks]") {
  // Whatever the split points, the tokens of all chunks are the tokens of all fragments.
  const FakeTokenizer tok;
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::string prompt;
    const int n = static_cast<int>(rng() % 400);
    for (int i = 0; i < n; ++i) {
      const unsigned r = rng() % 10;
      prompt += r == 0 ? ", " : r == 1 ? "(w" + std::to_string(i) + ") " : r == 2 && i % 7 == 0 ? "BREAK " : "w" + std::to_string(i) + " ";
    }
    INFO(prompt);
    std::vector<int> expected;
    for (const auto& f : parse_prompt_attention(prompt)) {
      if (!f.is_break) {
        for (int id : tok.encode(f.text)) expected.push_back(id);
      }
    }
    const PromptChunks chunks = tokenize_prompt(tok, prompt);
    std::vector<int> got;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      const auto t = chunk_tokens(chunks, c);
      CHECK(t.size() <= static_cast<std::size_t>(kChunkTokens));
      got.insert(got.end(), t.begin(), t.end());
    }
    CHECK(got == expected);
  }
}
