// tokenizer_lookup.h (private) — which tokenizer a loaded model uses (the order is in
// strata/diffusion/model_tokenizer.h), and copying named weights into a module.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "models/loader.h"
#include "strata/diffusion/model_tokenizer.h"
#include "strata/diffusion/tokenizer.h"

namespace strata::diffusion {

// A model's display name: the file's name, or a diffusers folder's name (also with a trailing '/').
std::string model_name(const std::filesystem::path& model);

// choose_tokenizer + open_tokenizer_for for a loaded model; `chosen` (optional) receives the choice.
std::unique_ptr<Tokenizer> find_tokenizer(const std::filesystem::path& given, const LoadedModel& model,
                                          TokenizerChoice* chosen = nullptr);

// Copies every tensor of `index` whose key starts with `prefix` into the module parameter of the
// same name (prefix removed). Reports missing/unexpected/mismatched tensors together, naming `file`.
void copy_named_weights(torch::nn::Module& module, const TensorIndex& index, const std::filesystem::path& file,
                        const std::string& prefix = {});

}  // namespace strata::diffusion
