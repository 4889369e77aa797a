// strata/diffusion/model_info.h — what a checkpoint is, without loading it (torch-free).
//
// inspect_model() maps the file(s) (headers only), detects the architecture and checks every tensor
// name and shape against Strata's networks (built on the meta device: no weight memory is used),
// so "runnable" means load_model() would succeed. It never reads tensor data.
// Thread-safety: may run on any thread; the result is a plain value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "strata/diffusion/model_config.h"

namespace strata::diffusion {

struct ComponentInfo {
  std::string name;                              // "unet", "vae", "text_encoder", "other"
  std::string prefix;                            // checkpoint key prefix ("" for other)
  std::int64_t tensors = 0;
  std::int64_t parameters = 0;                   // elements
  std::uint64_t bytes = 0;                       // as stored
  std::map<std::string, std::int64_t> dtypes;    // storage dtype ("F16") → tensor count
};

struct ModelInfo {
  std::filesystem::path path;
  std::string format;                            // "safetensors" or "diffusers folder"
  std::vector<std::filesystem::path> files;      // weight files
  std::uint64_t file_bytes = 0;                  // total size of the weight files
  std::map<std::string, std::string> metadata;   // __metadata__
  ModelConfig config;                            // family, variant, every detected number, notes
  std::vector<ComponentInfo> components;         // unet, vae, text_encoder(s), other
  std::int64_t total_parameters = 0;
  std::vector<std::string> storage_dtypes;       // distinct dtypes of all tensors, e.g. {"F16", "I64"}
  bool runnable = false;                         // load_model() would succeed
  std::string reason;                            // why not, when !runnable
  std::vector<std::string> problems;             // each missing/unexpected/mis-shaped tensor
  std::filesystem::path tokenizer_dir;           // tokenizer/ found in or next to the model
};

// Throws doc::Error for anything that is not a diffusion model at all (missing path, corrupt or
// pickle file, no UNet tensors, a folder that is not a diffusers model), naming the file. A
// recognised but unrunnable model (SDXL, wrong shapes) is returned with runnable = false.
ModelInfo inspect_model(const std::filesystem::path& path);

}  // namespace strata::diffusion
