// model_source.h (private) — where a model's tensors come from: one .safetensors file or a
// diffusers folder, presented as ONE TensorIndex with single-file checkpoint keys.
//
// open_model_source() maps headers only (no tensor data is read) and collects the hints that
// configs next to the weights give (ModelHints). Diffusers folders are renamed through
// diffusers_names.h; the VAE attention Linear weights get their 1×1-conv shape there.
//
// Folder layout understood: model_index.json, unet/diffusion_pytorch_model[.fp16].safetensors,
// vae/diffusion_pytorch_model[.fp16].safetensors, text_encoder/model[.fp16].safetensors (and
// text_encoder_2/ for SDXL), each optionally sharded (<name>.safetensors.index.json), plus
// unet/config.json, text_encoder{,_2}/config.json, scheduler/scheduler_config.json, tokenizer/.
// The text encoders required are those model_index.json lists with a class (the SDXL refiner:
// text_encoder_2 only); without model_index.json, text_encoder (or text_encoder_2 alone).
// The plain file is preferred over the .fp16 one when both exist. Pickle weights (.bin) are
// refused like .ckpt files.
//
// Ownership: a ModelSource owns its index (and through it the mappings). Thread-safety: a plain
// value; open_model_source() may run on any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "strata/diffusion/model_config.h"
#include "strata/diffusion/tensor_index.h"

namespace strata::diffusion::models {

enum class SourceKind { SingleFile, DiffusersFolder };

struct ModelSource {
  std::filesystem::path path;                     // as given
  SourceKind kind = SourceKind::SingleFile;
  TensorIndex index;                              // single-file keys
  std::map<std::string, std::string> metadata;    // __metadata__ of the (first) weight file
  ModelHints hints;                               // from configs and __metadata__
  // tokenizer/ in or next to the model, or a tokenizer.model next to the file, else the path the
  // file's __metadata__ "strata.tokenizer" names (relative to its folder); empty if none.
  std::filesystem::path tokenizer_dir;
                                                  // file next to a single file; empty if none
  std::uint64_t file_bytes = 0;                   // total size of the weight files
  std::vector<std::string> notes;                 // e.g. a config.json that could not be read

  // For messages: "model.safetensors" or "sd15/ (diffusers folder)".
  std::string name() const;
};

// Throws doc::Error: NotFound (no such path, a missing component file), UnsupportedModel (a folder
// that is not a diffusers model, pickle weights), and whatever TensorIndex::open throws.
ModelSource open_model_source(const std::filesystem::path& path);

}  // namespace strata::diffusion::models
