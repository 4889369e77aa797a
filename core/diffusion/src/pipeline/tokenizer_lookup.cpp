#include "pipeline/tokenizer_lookup.h"

#include "strata/doc/error.h"
#include "torch_tensors.h"

namespace strata::diffusion {

std::unique_ptr<Tokenizer> find_tokenizer(const std::filesystem::path& given, const LoadedModel& model) {
  if (!given.empty()) return open_tokenizer(given);
  if (!model.tokenizer_dir.empty()) return open_tokenizer(model.tokenizer_dir);
  auto where = std::filesystem::is_directory(model.path) ? model.path / "tokenizer"
                                                          : model.path.parent_path() / "tokenizer";
  throw doc::Error(doc::ErrorCode::NotFound,
                   model.path.filename().string() + ": no tokenizer found; put vocab.json + merges.txt (or a SentencePiece tokenizer.model) in " +
                       where.string() + ", or pass --tokenizer PATH (a folder with vocab.json + merges.txt or "
                       "tokenizer.model, a .model file, or bpe_simple_vocab_16e6.txt.gz)");
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
