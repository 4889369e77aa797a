# Part "prompt": A1111 attention syntax and 75-token chunking (torch-free).
# Included from core/diffusion/CMakeLists.txt; paths are relative to core/diffusion.
add_library(strata_diffusion_prompt STATIC
  src/prompt/attention.cpp
  src/prompt/chunks.cpp
)
target_include_directories(strata_diffusion_prompt
  PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
  PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
# Python re's character classes (\s, \w, \d) come from the tokenizer part's tokenizer/unicode.h.
target_link_libraries(strata_diffusion_prompt PUBLIC strata_doc PRIVATE strata_diffusion_tokenizer)
strata_set_warnings(strata_diffusion_prompt)
