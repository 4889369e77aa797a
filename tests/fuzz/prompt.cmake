# libFuzzer target for the prompt part: parse_prompt_attention + tokenize_prompt on arbitrary bytes.
# Does nothing unless STRATA_FUZZ is ON; needs clang:
#   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DSTRATA_FUZZ=ON
#   cmake --build build-fuzz --target fuzz_prompt && ./build-fuzz/.../fuzz_prompt -max_total_time=60 -max_len=4096
if(STRATA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "STRATA_FUZZ needs clang (-fsanitize=fuzzer); the C++ compiler is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  # The part's sources are compiled into the target itself so that libFuzzer's coverage
  # instrumentation covers them (keep this list in step with core/diffusion/src/prompt/sources.cmake),
  # with the tokenizer part's character classes it uses (tokenizer/unicode.cpp: needs only strata_doc).
  set(STRATA_PROMPT_PART_DIR ${PROJECT_SOURCE_DIR}/core/diffusion)
  add_executable(fuzz_prompt
    ${CMAKE_CURRENT_LIST_DIR}/fuzz_prompt.cpp
    ${STRATA_PROMPT_PART_DIR}/src/prompt/attention.cpp
    ${STRATA_PROMPT_PART_DIR}/src/prompt/chunks.cpp
    ${STRATA_PROMPT_PART_DIR}/src/tokenizer/unicode.cpp)
  target_include_directories(fuzz_prompt PRIVATE ${STRATA_PROMPT_PART_DIR}/include ${STRATA_PROMPT_PART_DIR}/src)
  target_link_libraries(fuzz_prompt PRIVATE strata_doc)
  target_compile_options(fuzz_prompt PRIVATE -g -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_prompt PRIVATE -fsanitize=fuzzer,address,undefined)
  strata_set_warnings(fuzz_prompt)
endif()
