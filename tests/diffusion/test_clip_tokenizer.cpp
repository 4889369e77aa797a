// CLIPTokenizer: exact ids for the 150 reference prompts with both vocabulary formats, loading and
// its errors, BPE merge order, robustness on hostile input, concurrent use.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <fstream>
#include <random>
#include <thread>

#include "reference.h"
#include "strata/diffusion/clip_tokenizer.h"
#include "strata/doc/error.h"

using namespace strata;
using diffusion::CLIPTokenizer;
using doc::ErrorCode;
namespace fs = std::filesystem;

namespace {

fs::path clip_dir() {
  return test::reference_dir() / "clip";
}

void write_file(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

template <typename F>
void expect_error(F&& f, ErrorCode code, const std::vector<std::string>& fragments) {
  try {
    f();
    FAIL("no error");
  } catch (const doc::Error& e) {
    INFO(e.what());
    CHECK(e.code() == code);
    for (const auto& frag : fragments) CHECK(std::string(e.what()).find(frag) != std::string::npos);
  }
}

// Checks every reference case; returns the number of mismatches.
int check_reference_cases(const CLIPTokenizer& tok, bool check_tokens) {
  const auto cases = test::read_json(test::reference_dir() / "tokenizer_cases.json");
  REQUIRE(cases["cases"].size() == 150);
  int mismatches = 0;
  for (const auto& c : cases["cases"]) {
    const std::string prompt = c["prompt"].get<std::string>();
    std::vector<int> ids{tok.bos_id()};
    for (int id : tok.encode(prompt)) ids.push_back(id);
    ids.push_back(tok.eos_id());
    const auto expected = c["ids"].get<std::vector<int>>();
    INFO(c["category"].get<std::string>() << ": " << c["prompt"].dump());
    CHECK(ids == expected);
    if (ids != expected) ++mismatches;
    if (check_tokens) {
      auto tokens = tok.tokenize(prompt);
      tokens.insert(tokens.begin(), "<|startoftext|>");
      tokens.push_back("<|endoftext|>");
      CHECK(tokens == c["tokens"].get<std::vector<std::string>>());
    }
  }
  return mismatches;
}

std::string gunzip(const fs::path& p) {
  gzFile f = gzopen(p.string().c_str(), "rb");
  REQUIRE(f != nullptr);
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  gzclose(f);
  REQUIRE(n == 0);
  return out;
}

// A small vocabulary written as Hugging Face files; merges given in rank order.
CLIPTokenizer tiny_tokenizer(const std::string& name, const std::vector<std::string>& tokens,
                             const std::vector<std::string>& merges) {
  const fs::path dir = test::temp_dir("clip_tiny_" + name);
  nlohmann::json vocab = {{"<|startoftext|>", 0}, {"<|endoftext|>", 1}};
  for (const auto& t : tokens) vocab[t] = static_cast<int>(vocab.size());
  std::string m = "#version: 0.2\n";
  for (const auto& line : merges) m += line + "\n";
  write_file(dir / "vocab.json", vocab.dump());
  write_file(dir / "merges.txt", m);
  return CLIPTokenizer::from_path(dir);
}

}  // namespace

TEST_CASE("CLIP ids match transformers for all reference prompts (vocab.json + merges.txt)",
          "[tokenizer][reference]") {
  REQUIRE_REFERENCE();
  const auto tok = CLIPTokenizer::from_files(clip_dir() / "vocab.json", clip_dir() / "merges.txt");
  CHECK(tok.vocab_size() == 49408);
  CHECK(tok.bos_id() == 49406);
  CHECK(tok.eos_id() == 49407);
  CHECK(tok.pad_id() == 49407);
  CHECK(check_reference_cases(tok, true) == 0);
}

TEST_CASE("CLIP ids match transformers for all reference prompts (openai .txt.gz)",
          "[tokenizer][reference]") {
  REQUIRE_REFERENCE();
  const auto gz = CLIPTokenizer::from_path(clip_dir() / "bpe_simple_vocab_16e6.txt.gz");
  CHECK(check_reference_cases(gz, false) == 0);
  // Both formats describe the same vocabulary, id for id.
  const auto hf = CLIPTokenizer::from_path(clip_dir());
  REQUIRE(gz.vocab_size() == hf.vocab_size());
  int differing = 0;
  for (int id = 0; id < hf.vocab_size(); ++id) differing += gz.token(id) != hf.token(id);
  CHECK(differing == 0);
  CHECK(hf.token(0) == "!");
  CHECK(hf.token(49406) == "<|startoftext|>");
  CHECK(hf.token(-1).empty());
  CHECK(hf.token(49408).empty());
  CHECK(hf.token_id("cat</w>") == 2368);
  CHECK(hf.token_id("no such token") == -1);
}

TEST_CASE("the CLIP vocabulary shipped with Strata is OpenAI's, and tokenizes like transformers",
          "[tokenizer][reference]") {
  REQUIRE_REFERENCE();
  const fs::path shipped = diffusion::find_shipped_clip_vocabulary();  // the source tree's, in a build
  REQUIRE(!shipped.empty());
  CHECK(shipped.filename() == "bpe_simple_vocab_16e6.txt.gz");
  CHECK(shipped.parent_path().filename() == "clip");
  const std::string text = gunzip(shipped);
  CHECK(text.size() > 3000000);
  CHECK(text == gunzip(clip_dir() / "bpe_simple_vocab_16e6.txt.gz"));  // byte for byte
  const auto tok = CLIPTokenizer::from_path(shipped);
  CHECK(tok.vocab_size() == 49408);
  CHECK(check_reference_cases(tok, true) == 0);
}

TEST_CASE("CLIP decode reassembles bytes and words", "[tokenizer][reference]") {
  REQUIRE_REFERENCE();
  const auto tok = CLIPTokenizer::from_path(clip_dir());
  CHECK(tok.decode(tok.encode("A photo of a CAT, 8k")) == "a photo of a cat , 8 k");
  CHECK(tok.decode(tok.encode("caf\xC3\xA9 \xF0\x9F\x90\xB1")) == "caf\xC3\xA9 \xF0\x9F\x90\xB1");
  const std::string long_word(10000, 'a');
  CHECK(tok.decode(tok.encode(long_word)) == long_word);
}

TEST_CASE("CLIP tokenizer survives hostile input", "[tokenizer][reference]") {
  REQUIRE_REFERENCE();
  const auto tok = CLIPTokenizer::from_path(clip_dir());
  // Invalid UTF-8 reads as U+FFFD, one per maximal invalid sequence.
  const auto fffd = tok.encode("\xEF\xBF\xBD");
  CHECK_FALSE(fffd.empty());
  CHECK(tok.encode("\xFF") == fffd);
  CHECK(tok.encode("\xE2\x82") == fffd);
  CHECK(tok.encode("a\xC3") == tok.encode("a \xEF\xBF\xBD"));
  // Control characters are removed (ftfy), NUL included.
  CHECK(tok.encode(std::string("a\x01\x02", 3) + std::string(1, '\0') + "b") == tok.encode("ab"));
  CHECK(tok.encode("\x1B[1mbold\x1B[0m") == tok.encode("bold"));
  CHECK(tok.encode("").empty());
  CHECK(tok.encode(" \t\n ").empty());
  // 10,000 characters of random bytes, and of random words: ids stay in the vocabulary.
  std::mt19937 rng(1234);
  std::string noise(10000, '\0');
  for (char& c : noise) c = static_cast<char>(rng() & 0xFF);
  std::string words;
  const char* pool[] = {"cat ",     "\xE7\x8C\xAB", "\xF0\x9F\x94\xA5",
                        "(x:1.2) ", "&amp; ",       "\xC3\xA9"};
  while (words.size() < 10000) words += pool[rng() % 6];
  for (const std::string& text : {noise, words}) {
    const auto ids = tok.encode(text);
    CHECK_FALSE(ids.empty());
    CHECK(std::all_of(ids.begin(), ids.end(), [&](int id) { return id >= 0 && id < 49408; }));
    CHECK(tok.encode(text) == ids);  // deterministic, cached or not
  }
}

TEST_CASE("CLIP tokenizer is safe to share between threads", "[tokenizer][reference]") {
  REQUIRE_REFERENCE();
  const auto tok = CLIPTokenizer::from_path(clip_dir());
  const std::vector<std::string> prompts = {"a photo of a cat", "\xE6\x9D\xB1\xE4\xBA\xAC at night",
                                            "masterpiece, best quality", "it's 8k"};
  std::vector<std::vector<int>> expected;
  for (const auto& p : prompts) expected.push_back(tok.encode(p));
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const std::size_t k = static_cast<std::size_t>(i + t) % prompts.size();
        failures[static_cast<std::size_t>(t)] += tok.encode(prompts[k]) != expected[k];
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == std::vector<int>(4, 0));
}

TEST_CASE("BPE merges the lowest-ranked pair everywhere before new pairs", "[tokenizer]") {
  // "ab a" ranks before "a b", but only exists once "a b" has been merged: transformers merges
  // every "a b" first, so "ababx" is ab|ab|x</w>, not aba|b|x</w>.
  const auto tok = tiny_tokenizer("order", {"a", "b", "x</w>", "ab", "aba"}, {"ab a", "a b"});
  CHECK(tok.tokenize("ababx") == std::vector<std::string>{"ab", "ab", "x</w>"});
  CHECK(tok.encode("ababx") == std::vector<int>{5, 5, 4});
  // Overlapping occurrences merge left to right; pieces missing from the vocabulary are unk.
  const auto tok2 = tiny_tokenizer("overlap", {"a", "aa", "a</w>"}, {"a a", "aa a</w>"});
  CHECK(tok2.tokenize("aaa") == std::vector<std::string>{"aaa</w>"});
  CHECK(tok2.encode("aaa") == std::vector<int>{tok2.eos_id()});
  CHECK(tok2.tokenize("aaaa") == std::vector<std::string>{"aa", "a", "a</w>"});
}

TEST_CASE("CLIPTokenizer::from_path finds the vocabulary in model folders",
          "[tokenizer][reference]") {
  REQUIRE_REFERENCE();
  const fs::path model = test::temp_dir("clip_model_folder");
  fs::create_directories(model / "tokenizer");
  fs::copy_file(clip_dir() / "vocab.json", model / "tokenizer" / "vocab.json");
  fs::copy_file(clip_dir() / "merges.txt", model / "tokenizer" / "merges.txt");
  CHECK(CLIPTokenizer::from_path(model).encode("a cat") == std::vector<int>{320, 2368});
  CHECK(CLIPTokenizer::from_path(model / "tokenizer" / "merges.txt").vocab_size() == 49408);
  const fs::path gz_dir = test::temp_dir("clip_gz_folder");
  fs::copy_file(clip_dir() / "bpe_simple_vocab_16e6.txt.gz",
                gz_dir / "bpe_simple_vocab_16e6.txt.gz");
  CHECK(CLIPTokenizer::from_path(gz_dir).encode("a cat") == std::vector<int>{320, 2368});
}

TEST_CASE("CLIP tokenizer load errors name the file and say what to do", "[tokenizer]") {
  const fs::path dir = test::temp_dir("clip_errors");
  expect_error([&] { (void)CLIPTokenizer::from_path(dir / "nowhere"); }, ErrorCode::NotFound,
               {"nowhere", "tokenizer/", "--tokenizer PATH"});
  expect_error([&] { (void)CLIPTokenizer::from_path(dir); }, ErrorCode::NotFound,
               {"clip_errors", "vocab.json", "--tokenizer PATH"});
  write_file(dir / "bad" / "vocab.json", "{\"a\": 0, ");
  write_file(dir / "bad" / "merges.txt", "#version: 0.2\na b\n");
  expect_error([&] { (void)CLIPTokenizer::from_path(dir / "bad"); }, ErrorCode::CorruptFile,
               {"vocab.json", "JSON"});
  write_file(dir / "list" / "vocab.json", "[1, 2]");
  write_file(dir / "list" / "merges.txt", "#version: 0.2\na b\n");
  expect_error([&] { (void)CLIPTokenizer::from_path(dir / "list"); }, ErrorCode::CorruptFile,
               {"vocab.json", "object"});
  write_file(dir / "nospecial" / "vocab.json", "{\"a\": 0, \"b\": 1}");
  write_file(dir / "nospecial" / "merges.txt", "#version: 0.2\na b\n");
  expect_error([&] { (void)CLIPTokenizer::from_path(dir / "nospecial"); }, ErrorCode::CorruptFile,
               {"vocab.json", "<|startoftext|>"});
  write_file(dir / "nomerges" / "vocab.json", "{\"<|startoftext|>\": 0, \"<|endoftext|>\": 1}");
  write_file(dir / "nomerges" / "merges.txt", "#version: 0.2\n");
  expect_error([&] { (void)CLIPTokenizer::from_path(dir / "nomerges"); }, ErrorCode::CorruptFile,
               {"merges.txt", "merges"});
  write_file(dir / "onlyvocab" / "vocab.json", "{}");
  expect_error([&] { (void)CLIPTokenizer::from_path(dir / "onlyvocab" / "vocab.json"); },
               ErrorCode::NotFound, {"merges.txt"});
  write_file(dir / "plain.txt.gz", "#version\na b\n");
  expect_error([&] { (void)CLIPTokenizer::from_bpe_gz(dir / "plain.txt.gz"); },
               ErrorCode::CorruptFile, {"plain.txt.gz", "gzip"});
  write_file(dir / "notes.txt", "hello");
  expect_error([&] { (void)CLIPTokenizer::from_path(dir / "notes.txt"); },
               ErrorCode::InvalidArgument, {"notes.txt", "--tokenizer PATH"});
}

TEST_CASE("a truncated or corrupt .txt.gz is a CorruptFile error", "[tokenizer][reference]") {
  REQUIRE_REFERENCE();
  const fs::path dir = test::temp_dir("clip_gz_errors");
  const std::string gz = read_file(clip_dir() / "bpe_simple_vocab_16e6.txt.gz");
  REQUIRE(gz.size() > 100000);
  write_file(dir / "truncated.txt.gz", gz.substr(0, gz.size() / 2));
  expect_error([&] { (void)CLIPTokenizer::from_bpe_gz(dir / "truncated.txt.gz"); },
               ErrorCode::CorruptFile, {"truncated.txt.gz", "truncated or corrupt"});
  std::string flipped = gz;
  for (std::size_t i = 1000; i < 1100; ++i) flipped[i] = static_cast<char>(~flipped[i]);
  write_file(dir / "flipped.txt.gz", flipped);
  expect_error([&] { (void)CLIPTokenizer::from_bpe_gz(dir / "flipped.txt.gz"); },
               ErrorCode::CorruptFile, {"flipped.txt.gz"});
  // A well-formed gzip whose text is not UTF-8.
  std::string latin1 = "#version\n\xE9 b\n";
  {
    gzFile f = gzopen((dir / "latin1.txt.gz").c_str(), "wb");
    REQUIRE(f != nullptr);
    gzwrite(f, latin1.data(), static_cast<unsigned>(latin1.size()));
    gzclose(f);
  }
  expect_error([&] { (void)CLIPTokenizer::from_bpe_gz(dir / "latin1.txt.gz"); },
               ErrorCode::CorruptFile, {"latin1.txt.gz", "UTF-8"});
}
