// SentencePieceTokenizer on tiny models trained here with sentencepiece's own trainer, checked
// id for id against libsentencepiece's SentencePieceProcessor (the reference implementation).
#include <catch2/catch.hpp>

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <fstream>

#include "reference.h"
#include "strata/diffusion/sentencepiece_tokenizer.h"
#include "strata/doc/error.h"

using namespace strata;
using diffusion::SentencePieceTokenizer;
using doc::ErrorCode;
namespace fs = std::filesystem;

namespace {

// A few hundred captions from a small grammar.
fs::path write_corpus(const fs::path& dir) {
  const char* adjectives[] = {"red", "small", "Fluffy", "ancient", "shiny", "quiet", "golden"};
  const char* nouns[] = {"cat", "dog", "castle", "robot", "forest", "river", "lantern"};
  const char* places[] = {"on a hill", "at night, 8k", "in the rain!", "by the sea", "under stars"};
  const fs::path corpus = dir / "captions.txt";
  std::ofstream out(corpus);
  for (const char* a : adjectives) {
    for (const char* n : nouns) {
      for (const char* p : places) out << "a " << a << " " << n << " " << p << "\n";
    }
  }
  return corpus;
}

fs::path train(const std::string& name, const std::string& extra_args) {
  const fs::path dir = test::temp_dir("sentencepiece_" + name);
  const fs::path corpus = write_corpus(dir);
  const std::string args =
      "--input=" + corpus.string() + " --model_prefix=" + (dir / "tokenizer").string() +
      " --hard_vocab_limit=false --character_coverage=1.0 --num_threads=1 " + extra_args;
  const auto status = sentencepiece::SentencePieceTrainer::Train(args);
  INFO(args << ": " << status.ToString());
  REQUIRE(status.ok());
  return dir / "tokenizer.model";
}

const std::vector<std::string>& probe_texts() {
  static const std::vector<std::string> texts = {
      "a fluffy robot by the sea",
      "A RED CASTLE at night, 8k",
      "  leading and   multiple   spaces  ",
      "\xEF\xBC\xA6\xEF\xBC\xB5\xEF\xBC\xAC\xEF\xBC\xAC width \xEF\xBD\x83\xEF\xBD\x81\xEF\xBD\x94",
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E unknown run",
      "caf\xC3\xA9 na\xC3\xAFve",
      "\xFF\xFE broken \xC3",
      "tab\tand\nnewline",
      "",
      "    ",
      "emoji \xF0\x9F\x90\xB1\xF0\x9F\x94\xA5",
      "<s> literal </s> <sep>",
      "catcat dogcat <sep>cat",
      std::string(300, 'x'),
      "123 456.789",
      "a\xE2\x80\x8B"
      "b",
  };
  return texts;
}

// Ids, pieces and decoding agree with libsentencepiece for every probe text.
void check_against_libsentencepiece(const fs::path& model) {
  sentencepiece::SentencePieceProcessor sp;
  REQUIRE(sp.Load(model.string()).ok());
  const auto tok = SentencePieceTokenizer::from_file(model);
  REQUIRE(tok.vocab_size() == sp.GetPieceSize());
  CHECK(tok.unk_id() == sp.unk_id());
  if (sp.bos_id() >= 0) CHECK(tok.bos_id() == sp.bos_id());
  if (sp.eos_id() >= 0) CHECK(tok.eos_id() == sp.eos_id());
  if (sp.pad_id() >= 0) CHECK(tok.pad_id() == sp.pad_id());
  for (int id = 0; id < sp.GetPieceSize(); ++id) {
    if (tok.token(id) != sp.IdToPiece(id)) FAIL("piece " << id << " differs");
  }
  for (const std::string& text : probe_texts()) {
    INFO("model " << model.parent_path().filename() << ", text \"" << text << "\"");
    std::vector<int> ids;
    std::vector<std::string> pieces;
    REQUIRE(sp.Encode(text, &ids).ok());
    REQUIRE(sp.Encode(text, &pieces).ok());
    CHECK(tok.encode(text) == ids);
    CHECK(tok.tokenize(text) == pieces);
    std::string decoded;
    REQUIRE(sp.Decode(ids, &decoded).ok());
    CHECK(tok.decode(ids) == decoded);
  }
}

}  // namespace

TEST_CASE("SentencePiece ids match libsentencepiece for every model kind", "[tokenizer]") {
  SECTION("unigram, nmt_nfkc") {
    check_against_libsentencepiece(train("unigram", "--vocab_size=60"));
  }
  SECTION("bpe") {
    check_against_libsentencepiece(train("bpe", "--vocab_size=80 --model_type=bpe"));
  }
  SECTION("unigram, byte fallback, user-defined symbols") {
    check_against_libsentencepiece(train(
        "unigram_bytes", "--vocab_size=400 --byte_fallback=true --user_defined_symbols=cat,<sep>"));
  }
  SECTION("bpe, byte fallback, whitespace as suffix") {
    check_against_libsentencepiece(
        train("bpe_suffix",
              "--vocab_size=400 --model_type=bpe --byte_fallback=true "
              "--treat_whitespace_as_suffix=true --user_defined_symbols=<sep>"));
  }
  SECTION("char") {
    check_against_libsentencepiece(train("char", "--vocab_size=40 --model_type=char"));
  }
  SECTION("word") {
    check_against_libsentencepiece(train("word", "--vocab_size=40 --model_type=word"));
  }
  SECTION("identity normalization, no dummy prefix, whitespace kept") {
    check_against_libsentencepiece(
        train("identity",
              "--vocab_size=60 --normalization_rule_name=identity "
              "--add_dummy_prefix=false --remove_extra_whitespaces=false"));
  }
  SECTION("case folding") {
    check_against_libsentencepiece(
        train("nfkc_cf", "--vocab_size=60 --normalization_rule_name=nmt_nfkc_cf"));
  }
}

TEST_CASE("SentencePiece model: ids, specials and round trip", "[tokenizer]") {
  const fs::path model =
      train("specials", "--vocab_size=60 --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=3");
  const auto tok = SentencePieceTokenizer::from_file(model);
  CHECK(tok.unk_id() == 0);
  CHECK(tok.bos_id() == 1);
  CHECK(tok.eos_id() == 2);
  CHECK(tok.pad_id() == 3);
  CHECK(tok.token(tok.eos_id()) == "</s>");
  CHECK(tok.token(tok.vocab_size()).empty());
  CHECK(tok.token(-1).empty());

  const std::string caption = "a fluffy robot by the sea";
  const auto ids = tok.encode(caption);
  REQUIRE_FALSE(ids.empty());
  CHECK(
      std::all_of(ids.begin(), ids.end(), [&](int id) { return id > 3 && id < tok.vocab_size(); }));
  CHECK(tok.decode(ids) == caption);
  CHECK(tok.encode("castle").size() < std::string("castle").size());  // frequent words are pieces
  CHECK(SentencePieceTokenizer::from_path(model.parent_path()).encode(caption) == ids);
}

TEST_CASE("SentencePiece special ids fall back when the model has none", "[tokenizer]") {
  const auto tok = SentencePieceTokenizer::from_file(
      train("fallback", "--vocab_size=60 --unk_id=0 --bos_id=-1 --eos_id=1 --pad_id=-1"));
  CHECK(tok.eos_id() == 1);
  CHECK(tok.bos_id() == tok.eos_id());  // no "<s>" piece either
  CHECK(tok.pad_id() == tok.eos_id());
  const auto tok2 = SentencePieceTokenizer::from_file(
      train("no_eos", "--vocab_size=60 --unk_id=0 --bos_id=-1 --eos_id=-1 --pad_id=-1"));
  CHECK(tok2.eos_id() == tok2.unk_id());
  CHECK(tok2.pad_id() == tok2.unk_id());
}

TEST_CASE("SentencePiece tokenizer handles hostile text and bad files", "[tokenizer]") {
  const auto tok = SentencePieceTokenizer::from_file(train("hostile", "--vocab_size=60"));
  const auto ids = tok.encode(std::string("a \xFF\xC3 cat\x01\0z", 11));
  CHECK(std::all_of(ids.begin(), ids.end(),
                    [&](int id) { return id >= 0 && id < tok.vocab_size(); }));
  CHECK_FALSE(tok.encode(std::string(10000, 'x')).empty());
  CHECK(tok.decode(std::vector<int>{-5, 1000000}).empty());

  const fs::path dir = test::temp_dir("sentencepiece_errors");
  const auto expect = [&](const fs::path& p, ErrorCode code, const std::string& fragment) {
    try {
      (void)SentencePieceTokenizer::from_path(p);
      FAIL("no error for " << p);
    } catch (const doc::Error& e) {
      INFO(e.what());
      CHECK(e.code() == code);
      CHECK(std::string(e.what()).find(fragment) != std::string::npos);
    }
  };
  expect(dir / "missing.model", ErrorCode::NotFound, "missing.model");
  std::ofstream(dir / "garbage.model") << "this is not a protobuf \xFF\xFF\xFF";
  expect(dir / "garbage.model", ErrorCode::CorruptFile, "garbage.model");
  std::ofstream(dir / "empty.model").flush();
  expect(dir / "empty.model", ErrorCode::CorruptFile, "empty.model");
  // A real model cut in half.
  std::ifstream in(train("cut", "--vocab_size=60"), std::ios::binary);
  const std::string full((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(dir / "cut.model", std::ios::binary) << full.substr(0, full.size() / 2);
  expect(dir / "cut.model", ErrorCode::CorruptFile, "cut.model");
  expect(dir, ErrorCode::NotFound, "tokenizer.model");
}
