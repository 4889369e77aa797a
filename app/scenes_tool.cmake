# strata-scenes: render procedural scenes, evaluate images against prompts, write a caption corpus.
# Torch-free (strata_scenes + strata_io). Included from app/CMakeLists.txt: include(scenes_tool.cmake)
add_executable(strata-scenes ${CMAKE_CURRENT_LIST_DIR}/scenes_tool.cpp)
target_link_libraries(strata-scenes PRIVATE strata_scenes strata_io CLI11::CLI11)
strata_set_warnings(strata-scenes)
install(TARGETS strata-scenes RUNTIME DESTINATION bin)
