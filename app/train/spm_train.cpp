// strata-spm-train — trains the embedded model's SentencePiece tokenizer on the scene captions.
//
// Torch-free on purpose: libsentencepiece (its trainer) and libtorch each bring protobuf and crash
// a process that loads both, so strata-train runs this as a separate program.
//   strata-spm-train -o models/strata-shapes/tokenizer.model [--vocab 512] [--captions 20000] [--seed 1]
// Special ids: unk 0, bos 1, eos 2, pad 3. Deterministic: one trainer thread, corpus from the seed.
#include <sentencepiece_trainer.h>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "strata/scenes/caption.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  CLI::App app{"Train the SentencePiece tokenizer of the embedded model on procedural scene captions"};
  fs::path out;
  int vocab = 512, captions = 20000;
  std::uint64_t seed = 1;
  std::string model_type = "unigram";
  app.add_option("-o,--output", out, "tokenizer.model to write")->required();
  app.add_option("--vocab", vocab, "vocabulary size (an upper bound: the corpus has few distinct words)")->check(CLI::Range(16, 32000));
  app.add_option("--captions", captions, "captions in the training corpus")->check(CLI::Range(100, 10000000));
  app.add_option("--seed", seed, "corpus seed");
  app.add_option("--model-type", model_type, "unigram or bpe")->check(CLI::IsMember({"unigram", "bpe"}));
  CLI11_PARSE(app, argc, argv);

  try {
    const fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    fs::create_directories(dir);
    const fs::path corpus = dir / (out.filename().string() + ".corpus.tmp");
    const fs::path prefix = dir / (out.filename().string() + ".spm.tmp");
    {
      std::ofstream f(corpus);
      for (const auto& line : strata::scenes::caption_corpus(captions, seed)) f << line << "\n";
      if (!f) throw std::runtime_error("cannot write " + corpus.string());
    }
    const std::string args = "--input=" + corpus.string() + " --model_prefix=" + prefix.string() +
                             " --model_type=" + model_type + " --vocab_size=" + std::to_string(vocab) +
                             " --hard_vocab_limit=false --character_coverage=1.0 --num_threads=1"
                             " --normalization_rule_name=nmt_nfkc_cf --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=3 --minloglevel=2";
    const auto status = sentencepiece::SentencePieceTrainer::Train(args);
    fs::remove(corpus);
    fs::remove(prefix.string() + ".vocab");
    if (!status.ok()) {
      std::cerr << "error: sentencepiece training failed: " << status.ToString() << "\n";
      return 1;
    }
    fs::rename(prefix.string() + ".model", out);
    std::cout << "wrote " << out.string() << " (" << fs::file_size(out) << " bytes, " << captions
              << " captions, vocab <= " << vocab << ")\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
