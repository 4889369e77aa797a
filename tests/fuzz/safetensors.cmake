# libFuzzer target for the safetensors header parser (TensorIndex::open).
#   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DSTRATA_FUZZ=ON
#   cmake --build build-fuzz --target fuzz_safetensors && ./build-fuzz/tests/fuzz/fuzz_safetensors -max_total_time=60
add_executable(fuzz_safetensors
  ${CMAKE_CURRENT_LIST_DIR}/fuzz_safetensors.cpp
  ${PROJECT_SOURCE_DIR}/core/diffusion/src/tensor_index.cpp)
target_include_directories(fuzz_safetensors PRIVATE ${PROJECT_SOURCE_DIR}/core/diffusion/include)
target_link_libraries(fuzz_safetensors PRIVATE strata_doc nlohmann_json::nlohmann_json)
target_compile_options(fuzz_safetensors PRIVATE -g -fsanitize=fuzzer,address,undefined)
target_link_options(fuzz_safetensors PRIVATE -fsanitize=fuzzer,address,undefined)
