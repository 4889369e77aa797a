# strata-spm-train (torch-free: libsentencepiece's trainer) and strata-train (torch, via
# strata_training). Included from app/CMakeLists.txt and, for STRATA_TRAIN_ONLY, the top level.
if(NOT STRATA_TRAIN_ONLY)
  add_executable(strata-spm-train ${CMAKE_CURRENT_LIST_DIR}/train/spm_train.cpp)
  target_link_libraries(strata-spm-train PRIVATE strata_scenes PkgConfig::SENTENCEPIECE CLI11::CLI11)
  strata_set_warnings(strata-spm-train)
  install(TARGETS strata-spm-train RUNTIME DESTINATION bin)
endif()

add_executable(strata-train ${CMAKE_CURRENT_LIST_DIR}/train/train_main.cpp)
target_link_libraries(strata-train PRIVATE strata_training CLI11::CLI11)
strata_set_warnings(strata-train)
install(TARGETS strata-train RUNTIME DESTINATION bin)
