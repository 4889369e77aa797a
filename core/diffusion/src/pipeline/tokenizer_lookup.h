// tokenizer_lookup.h (private) — which tokenizer a loaded model uses.
//
// Order: the path the user gave (--tokenizer: a folder with vocab.json + merges.txt, a folder
// with tokenizer.model, or bpe_simple_vocab_16e6.txt.gz); else the model's tokenizer/ folder (in a
// diffusers folder or next to a single file). Otherwise doc::Error(NotFound) with a hint.
#pragma once

#include <filesystem>
#include <memory>

#include "models/loader.h"
#include "strata/diffusion/tokenizer.h"

namespace strata::diffusion {

std::unique_ptr<Tokenizer> find_tokenizer(const std::filesystem::path& given, const LoadedModel& model);

// Copies every tensor of `index` whose key starts with `prefix` into the module parameter of the
// same name (prefix removed). Reports missing/unexpected/mismatched tensors together, naming `file`.
void copy_named_weights(torch::nn::Module& module, const TensorIndex& index, const std::filesystem::path& file,
                        const std::string& prefix = {});

}  // namespace strata::diffusion
