// Which tokenizer a model uses (strata/diffusion/model_tokenizer.h): override, beside the model,
// the __metadata__ hint, the shipped CLIP vocabulary by family; OpenCLIP's pad id; a tokenizer
// that does not fit the text encoder is refused; a CLIP model loads with no tokenizer given.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <fstream>
#include <functional>

#include "models/model_source.h"
#include "reference.h"
#include "safetensors_writer.h"
#include "strata/diffusion/clip_tokenizer.h"
#include "strata/diffusion/model_info.h"
#include "strata/diffusion/model_tokenizer.h"
#include "strata/diffusion/pipeline.h"
#include "strata/doc/error.h"

using namespace strata;
using namespace strata::diffusion;
namespace fs = std::filesystem;

namespace {

fs::path tiny_model() { return test::reference_dir() / "tiny-sd15" / "model.safetensors"; }
fs::path embedded_model() { return test::source_dir() / "models" / "strata-shapes" / "strata-shapes.safetensors"; }

std::string error_of(const std::function<void()>& f, doc::ErrorCode* code = nullptr) {
  try {
    f();
  } catch (const doc::Error& e) {
    if (code) *code = e.code();
    return e.what();
  }
  return {};
}

}  // namespace

TEST_CASE("a CLIP model with nothing beside it uses the shipped CLIP vocabulary", "[tokenizer][lookup][reference]") {
  REQUIRE_REFERENCE();
  const ModelInfo info = inspect_model(tiny_model());
  REQUIRE(info.config.text.vocab_size == kClipVocabularySize);
  REQUIRE(info.tokenizer_dir.empty());
  const TokenizerChoice c = choose_tokenizer(info);
  CHECK(c.origin == "shipped CLIP vocabulary");
  CHECK(c.path == find_shipped_clip_vocabulary());
  const auto tok = open_tokenizer_for(c, info.config.text, "model.safetensors");
  CHECK(tok->encode("a cat") == std::vector<int>{320, 2368});
  CHECK(tok->pad_id() == 49407);  // SD 1.x pads with <|endoftext|>

  // An explicit override wins over everything.
  const TokenizerChoice o = choose_tokenizer(info, test::reference_dir() / "clip");
  CHECK(o.origin == "override");
  CHECK(o.path == test::reference_dir() / "clip");
}

TEST_CASE("OpenCLIP text encoders get the shipped vocabulary padded with 0", "[tokenizer][lookup]") {
  TextEncoderConfig openclip;
  openclip.pad_id = 0;  // as detect_openclip sets it
  const TokenizerChoice c = choose_tokenizer({}, "/models/sd21.safetensors", {}, openclip);
  REQUIRE(c.origin == "shipped CLIP vocabulary");
  const auto tok = open_tokenizer_for(c, openclip, "sd21.safetensors");
  CHECK(tok->pad_id() == 0);
  CHECK(tok->eos_id() == 49407);
  CHECK(tok->bos_id() == 49406);
  CHECK(tok->encode("a cat") == std::vector<int>{320, 2368});
}

TEST_CASE("the embedded model keeps its own tokenizer; CLIP's is refused for it", "[tokenizer][lookup]") {
  const ModelInfo info = inspect_model(embedded_model());
  REQUIRE(info.config.text.vocab_size < kClipVocabularySize);
  const TokenizerChoice own = choose_tokenizer(info);
  CHECK(own.origin == "with the model");
  CHECK(own.path.filename() == "tokenizer.model");
  CHECK(open_tokenizer_for(own, info.config.text, "strata-shapes.safetensors")->vocab_size() <= info.config.text.vocab_size);

  // The old global setting's failure ("index out of range in self") is now a clear refusal.
  const TokenizerChoice clip = choose_tokenizer(info, find_shipped_clip_vocabulary());
  doc::ErrorCode code{};
  const std::string msg = error_of([&] { (void)open_tokenizer_for(clip, info.config.text, "strata-shapes.safetensors"); }, &code);
  CHECK(code == doc::ErrorCode::InvalidArgument);
  CHECK(msg.find("49408 tokens") != std::string::npos);
  CHECK(msg.find("strata-shapes.safetensors") != std::string::npos);
  CHECK(msg.find("another model") != std::string::npos);
}

TEST_CASE("a non-CLIP model with no tokenizer says where one goes", "[tokenizer][lookup]") {
  TextEncoderConfig other;
  other.vocab_size = 32000;
  doc::ErrorCode code{};
  const std::string msg = error_of([&] { (void)choose_tokenizer({}, "/models/x/odd.safetensors", {}, other); }, &code);
  CHECK(code == doc::ErrorCode::NotFound);
  CHECK(msg.find("odd.safetensors") != std::string::npos);
  CHECK(msg.find("32000") != std::string::npos);
  CHECK(msg.find("/models/x/tokenizer") != std::string::npos);
  CHECK(msg.find("--tokenizer PATH") != std::string::npos);
}

TEST_CASE("__metadata__ strata.tokenizer names a tokenizer relative to the file", "[tokenizer][lookup]") {
  const fs::path dir = test::temp_dir("tokenizer_metadata");
  save_safetensors(dir / "m.safetensors", {{"x", torch::zeros({2})}}, {{"strata.tokenizer", "vocab/tokenizer.model"}});
  CHECK(models::open_model_source(dir / "m.safetensors").tokenizer_dir == dir / "vocab" / "tokenizer.model");
  // Something beside the file comes first.
  fs::create_directories(dir / "tokenizer");
  std::ofstream(dir / "tokenizer" / "vocab.json") << "{}";
  CHECK(models::open_model_source(dir / "m.safetensors").tokenizer_dir == dir / "tokenizer");
}

TEST_CASE("Pipeline::load runs a CLIP model with no tokenizer given", "[tokenizer][lookup][reference]") {
  REQUIRE_REFERENCE();
  PipelineOptions o;
  o.model = tiny_model();
  auto p = Pipeline::load(o);
  CHECK(p->summary().tokenizer_origin == "shipped CLIP vocabulary");
  CHECK(p->summary().tokenizer == find_shipped_clip_vocabulary());
  REQUIRE(p->tokenizer() != nullptr);
  CHECK(p->tokenizer()->vocab_size() == kClipVocabularySize);
  GenerationRequest r;
  r.prompt = "a cat";
  r.width = r.height = 64;
  r.steps = 2;
  const auto images = p->generate(r);
  REQUIRE(images.size() == 1);
  CHECK(images[0].image.width == 64);
}
