// model_hash.h (private) — SHA-256 of model files, for the "Model hash" metadata field
// (A1111's AutoV2 hash = the first 10 hex digits of the file's SHA-256).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace strata::diffusion {

std::string sha256_hex(std::string_view bytes);
std::string sha256_file_hex(const std::filesystem::path& path);  // throws doc::Error(IoError)

}  // namespace strata::diffusion
