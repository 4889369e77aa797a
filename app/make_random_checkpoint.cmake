# strata-make-checkpoint: a full-size random-weight SD 1.5 .safetensors from the reference manifest,
# for load-time / speed benchmarks. Torch-free; not installed.
# Include from app/CMakeLists.txt: include("${CMAKE_CURRENT_SOURCE_DIR}/make_random_checkpoint.cmake")
add_executable(strata-make-checkpoint "${CMAKE_CURRENT_LIST_DIR}/make_random_checkpoint.cpp")
target_link_libraries(strata-make-checkpoint PRIVATE CLI11::CLI11 nlohmann_json::nlohmann_json)
strata_set_warnings(strata-make-checkpoint)
