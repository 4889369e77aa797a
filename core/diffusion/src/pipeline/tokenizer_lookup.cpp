#include "pipeline/tokenizer_lookup.h"

#include "strata/diffusion/clip_tokenizer.h"
#include "strata/diffusion/model_info.h"
#include "strata/doc/error.h"
#include "torch_tensors.h"

namespace strata::diffusion {

namespace {

// A tokenizer with another padding id (OpenCLIP pads CLIP's vocabulary with 0).
class PaddedTokenizer final : public Tokenizer {
 public:
  PaddedTokenizer(std::unique_ptr<Tokenizer> inner, int pad_id) : inner_(std::move(inner)), pad_id_(pad_id) {}
  std::vector<int> encode(std::string_view text) const override { return inner_->encode(text); }
  int bos_id() const override { return inner_->bos_id(); }
  int eos_id() const override { return inner_->eos_id(); }
  int pad_id() const override { return pad_id_; }
  int vocab_size() const override { return inner_->vocab_size(); }
  std::string token(int id) const override { return inner_->token(id); }

 private:
  std::unique_ptr<Tokenizer> inner_;
  int pad_id_;
};

}  // namespace

std::string model_name(const std::filesystem::path& model) {
  return model.filename().empty() ? model.parent_path().filename().string() : model.filename().string();
}

TokenizerChoice choose_tokenizer(const std::filesystem::path& override_path, const std::filesystem::path& model,
                                 const std::filesystem::path& with_model, const TextEncoderConfig& text) {
  if (!override_path.empty()) return {override_path, "override"};
  if (!with_model.empty()) return {with_model, "with the model"};
  const bool clip_family = text.vocab_size == kClipVocabularySize;
  if (clip_family) {
    if (auto shipped = find_shipped_clip_vocabulary(); !shipped.empty()) return {shipped, "shipped CLIP vocabulary"};
  }
  const auto where = std::filesystem::is_directory(model) ? model / "tokenizer" : model.parent_path() / "tokenizer";
  std::string searched;
  for (const auto& p : shipped_clip_vocabulary_candidates()) searched += (searched.empty() ? "" : ", ") + p.string();
  throw doc::Error(doc::ErrorCode::NotFound,
                   model_name(model) + ": no tokenizer found; " +
                       (clip_family ? "the CLIP vocabulary that ships with Strata is missing (looked in " + searched +
                                          "); reinstall, or "
                                    : "its text encoder has " + std::to_string(text.vocab_size) +
                                          " tokens (not CLIP's 49408): ") +
                       "put vocab.json + merges.txt (or a SentencePiece tokenizer.model) in " + where.string() +
                       ", or choose a tokenizer for this model (--tokenizer PATH)");
}

TokenizerChoice choose_tokenizer(const ModelInfo& info, const std::filesystem::path& override_path) {
  return choose_tokenizer(override_path, info.path, info.tokenizer_dir, info.config.text);
}

std::unique_ptr<Tokenizer> open_tokenizer_for(const TokenizerChoice& choice, const TextEncoderConfig& text,
                                              const std::string& model_name) {
  auto tok = open_tokenizer(choice.path);
  if (tok->vocab_size() > text.vocab_size) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     choice.path.string() + " (" + choice.origin + "): " + std::to_string(tok->vocab_size()) +
                         " tokens, but the text encoder of " + model_name + " has " + std::to_string(text.vocab_size) +
                         "; this tokenizer belongs to another model");
  }
  if (tok->vocab_size() == kClipVocabularySize && text.vocab_size == kClipVocabularySize &&
      tok->pad_id() != text.pad_id) {
    return std::make_unique<PaddedTokenizer>(std::move(tok), text.pad_id);
  }
  return tok;
}

std::unique_ptr<Tokenizer> find_tokenizer(const std::filesystem::path& given, const LoadedModel& model,
                                          TokenizerChoice* chosen) {
  TokenizerChoice choice = choose_tokenizer(given, model.path, model.tokenizer_dir, model.config.text);
  auto tok = open_tokenizer_for(choice, model.config.text, model_name(model.path));
  if (chosen) *chosen = std::move(choice);
  return tok;
}
void copy_named_weights(torch::nn::Module& module, const TensorIndex& index, const std::filesystem::path& file,
                        const std::string& prefix) {
  std::string problems;
  std::size_t used = 0;
  for (auto& item : module.named_parameters(true)) {
    const auto* info = index.find(prefix + item.key());
    if (info == nullptr) {
      problems += "\n  " + prefix + item.key() + ": missing";
      continue;
    }
    auto src = view(*info);
    if (src.sizes() != item.value().sizes()) {
      problems += "\n  " + info->name + ": expected " + c10::str(item.value().sizes()) + ", found " +
                  c10::str(src.sizes());
      continue;
    }
    item.value().copy_(src);
    ++used;
  }
  std::size_t under_prefix = 0;
  for (const auto& t : index.tensors()) under_prefix += t.name.rfind(prefix, 0) == 0 ? 1 : 0;
  if (problems.empty() && used != under_prefix) {
    problems += "\n  " + std::to_string(under_prefix - used) + " tensors no module parameter claims";
  }
  if (!problems.empty()) {
    throw doc::Error(doc::ErrorCode::ShapeMismatch, file.filename().string() + ": weights do not fit:" + problems);
  }
}

}  // namespace strata::diffusion
