# libFuzzer targets for the tokenizer part: fuzz_clip_tokenizer (encode/tokenize/decode on arbitrary
# bytes) and fuzz_sentencepiece_model (the .model reader on arbitrary model bytes).
# Does nothing unless STRATA_FUZZ is ON; needs clang:
#   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DSTRATA_FUZZ=ON
#   cmake --build build-fuzz --target fuzz_clip_tokenizer fuzz_sentencepiece_model
#   ./build-fuzz/tests/fuzz/fuzz_clip_tokenizer -max_total_time=60 -max_len=4096
#   ./build-fuzz/tests/fuzz/fuzz_sentencepiece_model -max_total_time=60 CORPUS_DIR
# fuzz_clip_tokenizer reads the vocabulary from $STRATA_CLIP_TOKENIZER, else STRATA_REFERENCE_DIR/clip.
if(STRATA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "STRATA_FUZZ needs clang (-fsanitize=fuzzer); the C++ compiler is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  # The part's sources are compiled into each target so that libFuzzer's coverage instrumentation
  # covers them; the list is taken from the part's own target.
  set(STRATA_TOKENIZER_PART_DIR ${PROJECT_SOURCE_DIR}/core/diffusion)
  get_target_property(STRATA_TOKENIZER_PART_SOURCES strata_diffusion_tokenizer SOURCES)
  set(STRATA_TOKENIZER_SOURCES)
  foreach(src ${STRATA_TOKENIZER_PART_SOURCES})
    if(NOT IS_ABSOLUTE "${src}")
      set(src ${STRATA_TOKENIZER_PART_DIR}/${src})
    endif()
    list(APPEND STRATA_TOKENIZER_SOURCES ${src})
  endforeach()
  foreach(target fuzz_clip_tokenizer fuzz_sentencepiece_model)
    add_executable(${target} ${CMAKE_CURRENT_LIST_DIR}/${target}.cpp ${STRATA_TOKENIZER_SOURCES})
    target_include_directories(${target} PRIVATE
      ${STRATA_TOKENIZER_PART_DIR}/include ${STRATA_TOKENIZER_PART_DIR}/src)
    target_link_libraries(${target} PRIVATE strata_doc nlohmann_json::nlohmann_json ZLIB::ZLIB)
    target_compile_options(${target} PRIVATE -g -fsanitize=fuzzer,address,undefined)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
    strata_set_warnings(${target})
  endforeach()
  target_compile_definitions(fuzz_clip_tokenizer PRIVATE
    STRATA_FUZZ_CLIP_DIR="${STRATA_REFERENCE_DIR}/clip")
endif()
