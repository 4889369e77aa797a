// strata/diffusion/model_tokenizer.h — which tokenizer a model uses (torch-free header).
//
// The tokenizer is a property of the model, never a global setting. In order:
//   1. an explicit override for this model (the CLI's --tokenizer; the GUI's per-model choice);
//   2. found with the model: tokenizer/ in a diffusers folder or next to a single file (vocab.json
//      + merges.txt, or tokenizer.model), or tokenizer.model next to the file (the embedded model);
//   3. the path the file's __metadata__ "strata.tokenizer" names, relative to its folder;
//   4. the CLIP vocabulary shipped with Strata (find_shipped_clip_vocabulary) when the text encoder
//      is CLIP-family: a 49408-token embedding (SD 1.x CLIP ViT-L; SD 2.x and SDXL's OpenCLIP use
//      the same vocabulary and pad with id 0 — the text encoder config's pad_id is applied).
// A tokenizer with more tokens than the text encoder has embeddings is refused up front (it would
// fail inside the network with an index error).
// Thread-safety: pure functions (they read files).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "strata/diffusion/model_config.h"
#include "strata/diffusion/tokenizer.h"

namespace strata::diffusion {

struct ModelInfo;

inline constexpr int kClipVocabularySize = 49408;

struct TokenizerChoice {
  std::filesystem::path path;  // what open_tokenizer() opens
  std::string origin;          // "override", "with the model", "shipped CLIP vocabulary"
};

// Steps 1–4 above. `with_model` is what the model source found (ModelInfo::tokenizer_dir, steps 2
// and 3). Throws doc::Error(NotFound) naming the model and where a tokenizer may go when none fits.
TokenizerChoice choose_tokenizer(const std::filesystem::path& override_path, const std::filesystem::path& model,
                                 const std::filesystem::path& with_model, const TextEncoderConfig& text);
TokenizerChoice choose_tokenizer(const ModelInfo& info, const std::filesystem::path& override_path = {});

// Opens the choice for a text encoder: for CLIP's vocabulary on a CLIP-family encoder the encoder's
// pad id replaces the tokenizer's (OpenCLIP pads with 0, CLIP ViT-L with <|endoftext|>). Throws doc::Error: the file's own
// load errors, or InvalidArgument when the tokenizer does not fit the encoder's embedding.
std::unique_ptr<Tokenizer> open_tokenizer_for(const TokenizerChoice& choice, const TextEncoderConfig& text,
                                              const std::string& model_name);

}  // namespace strata::diffusion
