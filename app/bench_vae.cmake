# strata-bench-vae: CPU wall time and peak RSS of a full-size SD VAE decode/encode, whole or tiled
# (random weights). Included from app/CMakeLists.txt: include(bench_vae.cmake)
add_executable(strata-bench-vae ${CMAKE_CURRENT_LIST_DIR}/bench_vae.cpp)
target_link_libraries(strata-bench-vae PRIVATE strata_diffusion_pipeline strata_diffusion_internal)
target_include_directories(strata-bench-vae PRIVATE ${CMAKE_CURRENT_LIST_DIR})
strata_set_warnings(strata-bench-vae)
