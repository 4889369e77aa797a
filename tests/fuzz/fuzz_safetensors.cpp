// libFuzzer target: TensorIndex::open on arbitrary bytes must either index the file or throw
// doc::Error — never crash, never read out of bounds.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "strata/diffusion/tensor_index.h"
#include "strata/doc/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/strata-fuzz-" + std::to_string(getpid()) + ".safetensors";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    auto index = strata::diffusion::TensorIndex::open(path);
    volatile unsigned char sink = 0;
    for (const auto& t : index.tensors()) {
      if (t.byte_size() > 0) {
        const auto* p = strata::diffusion::TensorIndex::data(t);
        sink = sink ^ static_cast<unsigned char>(p[0]) ^ static_cast<unsigned char>(p[t.byte_size() - 1]);
      }
    }
  } catch (const strata::doc::Error&) {
  }
  return 0;
}
