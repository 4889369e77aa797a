# Models: detection (tiny model, real manifests), the diffusers name table, the loader and its
# error reports, inspection; plus strata-cli inspect end to end.
strata_diffusion_test(test_diffusion_models
  SOURCES test_detect.cpp test_manifests.cpp test_loader.cpp
  LIBS strata_diffusion_models)

if(TARGET strata-cli)
  # Runs `strata-cli inspect MODEL`, expects exit code 2 and stderr matching EXPECT.
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/expect_exit_2.cmake" [=[
execute_process(COMMAND "${EXE}" inspect "${MODEL}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "expected exit code 2, got '${rc}'\nstdout: ${out}\nstderr: ${err}")
endif()
if(NOT err MATCHES "${EXPECT}")
  message(FATAL_ERROR "stderr does not match '${EXPECT}': ${err}")
endif()
message(STATUS "exit 2 as expected: ${err}")
]=])
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/broken.safetensors" "this is not a safetensors file")

  add_test(NAME cli_inspect_tiny COMMAND strata-cli inspect "${STRATA_REFERENCE_DIR}/tiny-sd15/model.safetensors")
  set_tests_properties(cli_inspect_tiny PROPERTIES
    PASS_REGULAR_EXPRESSION "family: +SD1 txt2img.*runs: +yes.*model_channels 32, channel_mult \\[1,2,4,4\\].*heads 4")
  add_test(NAME cli_inspect_tiny_json COMMAND strata-cli inspect --json "${STRATA_REFERENCE_DIR}/tiny-sd15/model.safetensors")
  set_tests_properties(cli_inspect_tiny_json PROPERTIES
    PASS_REGULAR_EXPRESSION "\"family\": \"SD1\".*\"runnable\": true")
  add_test(NAME cli_inspect_broken_file COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:strata-cli>
    -DMODEL=${CMAKE_CURRENT_BINARY_DIR}/broken.safetensors "-DEXPECT=^error: broken\\.safetensors: header length"
    -P "${CMAKE_CURRENT_BINARY_DIR}/expect_exit_2.cmake")
  add_test(NAME cli_inspect_not_a_model COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:strata-cli>
    -DMODEL=${STRATA_REFERENCE_DIR}/tiny-sd15/cases/unet.safetensors "-DEXPECT=^error: unet\\.safetensors: not a Stable Diffusion checkpoint"
    -P "${CMAKE_CURRENT_BINARY_DIR}/expect_exit_2.cmake")
  set_tests_properties(cli_inspect_tiny cli_inspect_tiny_json cli_inspect_broken_file cli_inspect_not_a_model
    PROPERTIES LABELS fast)
endif()
