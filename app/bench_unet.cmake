# strata-bench-unet: CPU timing of a full-size SD1.5 UNet pass (random weights), fp32 and bf16;
# --embedded takes the architecture from strata-train's defaults (strata_training's unet_config).
# Included from app/CMakeLists.txt: include(bench_unet.cmake)
add_executable(strata-bench-unet ${CMAKE_CURRENT_LIST_DIR}/bench_unet.cpp)
target_link_libraries(strata-bench-unet PRIVATE strata_training_internal strata_diffusion_unet strata_diffusion_base strata_diffusion_internal)
strata_set_warnings(strata-bench-unet)
