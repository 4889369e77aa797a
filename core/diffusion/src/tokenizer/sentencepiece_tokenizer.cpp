// SentencePieceTokenizer: file loading and the Tokenizer interface over spm::Model.
#include "strata/diffusion/sentencepiece_tokenizer.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "strata/doc/error.h"
#include "tokenizer/sentencepiece_model.h"

namespace strata::diffusion {

using doc::Error;
using doc::ErrorCode;
namespace fs = std::filesystem;

struct SentencePieceTokenizer::Impl {
  explicit Impl(spm::Model m) : model(std::move(m)) {}
  spm::Model model;
  int bos = 0, eos = 0, pad = 0, unk = 0;
};

namespace {

// The model's id for a special piece, else a piece of the conventional name, else fallback.
int special_id(const spm::Model& m, int model_id, std::string_view name, int fallback) {
  if (model_id >= 0) return model_id;
  const int id = m.piece_to_id(name);
  return m.piece(id).text == name ? id : fallback;
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
SentencePieceTokenizer::SentencePieceTokenizer(SentencePieceTokenizer&&) noexcept = default;
SentencePieceTokenizer& SentencePieceTokenizer::operator=(SentencePieceTokenizer&&) noexcept =
    default;
SentencePieceTokenizer::~SentencePieceTokenizer() = default;

SentencePieceTokenizer SentencePieceTokenizer::from_file(const fs::path& model_file) {
  std::error_code ec;
  if (!fs::exists(model_file, ec)) {
    throw Error(ErrorCode::NotFound, "SentencePiece model " + model_file.string() +
                                         " not found; expected a tokenizer.model file next to "
                                         "the model (or pass --tokenizer PATH)");
  }
  if (!fs::is_regular_file(model_file, ec)) {
    throw Error(ErrorCode::IoError, model_file.string() + " is not a regular file");
  }
  std::ifstream in(model_file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) throw Error(ErrorCode::IoError, "cannot read " + model_file.string());
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(spm::Model(bytes.str()));
  } catch (const std::runtime_error& e) {
    throw Error(ErrorCode::CorruptFile,
                model_file.string() + ": not a usable SentencePiece model (" + e.what() + ")");
  }
  const spm::Model& m = impl->model;
  impl->unk = m.unk_id();
  impl->eos = special_id(m, m.eos_id(), "</s>", impl->unk);
  impl->bos = special_id(m, m.bos_id(), "<s>", impl->eos);
  impl->pad = special_id(m, m.pad_id(), "<pad>", impl->eos);
  return SentencePieceTokenizer(std::move(impl));
}

SentencePieceTokenizer SentencePieceTokenizer::from_path(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return from_file(path);
  for (const fs::path& dir : {path, path / "tokenizer"}) {
    for (const char* file : {"tokenizer.model", "spiece.model"}) {
      if (fs::exists(dir / file, ec)) return from_file(dir / file);
    }
  }
  throw Error(ErrorCode::NotFound, "no SentencePiece model in " + path.string() +
                                       " (looked for tokenizer.model and spiece.model, also in "
                                       "tokenizer/); pass --tokenizer PATH");
}

std::vector<int> SentencePieceTokenizer::encode(std::string_view text) const {
  return impl_->model.encode(text);
}

std::vector<std::string> SentencePieceTokenizer::tokenize(std::string_view text) const {
  return impl_->model.encode_pieces(text);
}

std::string SentencePieceTokenizer::decode(std::span<const int> ids) const {
  return impl_->model.decode(std::vector<int>(ids.begin(), ids.end()));
}

int SentencePieceTokenizer::bos_id() const {
  return impl_->bos;
}
int SentencePieceTokenizer::eos_id() const {
  return impl_->eos;
}
int SentencePieceTokenizer::pad_id() const {
  return impl_->pad;
}
int SentencePieceTokenizer::unk_id() const {
  return impl_->unk;
}
int SentencePieceTokenizer::vocab_size() const {
  return impl_->model.size();
}

std::string SentencePieceTokenizer::token(int id) const {
  if (id < 0 || id >= vocab_size()) return {};
  return impl_->model.piece(id).text;
}

}  // namespace strata::diffusion
