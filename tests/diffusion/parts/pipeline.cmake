# End-to-end parity with the diffusers pipelines on tiny-sd15, and the Pipeline API contract.
strata_diffusion_test(test_diffusion_pipeline SOURCES test_pipeline.cpp test_strength.cpp LIBS strata_diffusion_pipeline)

if(TARGET strata-cli)
  add_executable(image_tool image_tool.cpp)
  target_link_libraries(image_tool PRIVATE strata_io)
  add_test(NAME cli_generate
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli_generate.sh $<TARGET_FILE:strata-cli> ${STRATA_REFERENCE_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/cli_generate $<TARGET_FILE:image_tool>)
  set_tests_properties(cli_generate PROPERTIES TIMEOUT 600)
endif()
