# Part "prompt": A1111 attention syntax and 75-token chunking (torch-free).
# Included from core/diffusion/CMakeLists.txt; paths are relative to core/diffusion.
add_library(strata_diffusion_prompt STATIC
  src/prompt/attention.cpp
  src/prompt/chunks.cpp
  src/prompt/unicode.cpp
)
target_include_directories(strata_diffusion_prompt
  PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
  PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_link_libraries(strata_diffusion_prompt PUBLIC strata_doc)
strata_set_warnings(strata_diffusion_prompt)
