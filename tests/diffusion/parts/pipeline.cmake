# End-to-end parity with the diffusers pipelines on tiny-sd15, and the Pipeline API contract.
# SD 2.x and SDXL: detection, text encoders, UNet and end-to-end parity on the tiny kits.
strata_diffusion_test(test_diffusion_families LABEL slow SOURCES test_families.cpp LIBS strata_diffusion_pipeline)
# The same models written as diffusers folders (SD 2.1-v, SDXL base, a refiner-shaped model).
strata_diffusion_test(test_diffusion_families_folders LABEL slow SOURCES test_diffusers_families.cpp LIBS strata_diffusion_pipeline)
strata_diffusion_test(test_diffusion_pipeline LABEL slow SOURCES test_pipeline.cpp test_strength.cpp test_tokenizer_lookup.cpp test_vae_tiling.cpp LIBS strata_diffusion_pipeline)

if(TARGET strata-cli)
  add_executable(image_tool image_tool.cpp)
  target_link_libraries(image_tool PRIVATE strata_io)
  add_test(NAME cli_generate
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli_generate.sh $<TARGET_FILE:strata-cli> ${STRATA_REFERENCE_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/cli_generate $<TARGET_FILE:image_tool>)
  set_tests_properties(cli_generate PROPERTIES TIMEOUT 600 LABELS slow)
endif()

if(TARGET strata-cli)
  # eval-shapes end to end on the tiny model (random weights: the figure is ~0 %; the command's
  # report and its images are what is checked; the evaluator has its own tests in tests/scenes).
  add_test(NAME cli_eval_shapes
    COMMAND strata-cli eval-shapes -m ${STRATA_REFERENCE_DIR}/tiny-sd15/model.safetensors --tokenizer ${STRATA_REFERENCE_DIR}/clip
            --count 3 --steps 3 --size 64 -o ${CMAKE_CURRENT_BINARY_DIR}/eval_shapes)
  set_tests_properties(cli_eval_shapes PROPERTIES LABELS fast
    PASS_REGULAR_EXPRESSION "held out +blue star.*[0-3]/3 images have every stated attribute right.*shapes +[0-9.]+ % fully right")
  foreach(task inpaint outpaint)
    add_test(NAME cli_eval_shapes_${task}
      COMMAND strata-cli eval-shapes -m ${STRATA_REFERENCE_DIR}/tiny-sd15/model.safetensors --tokenizer ${STRATA_REFERENCE_DIR}/clip
              --task ${task} --count 2 --steps 3 --size 64)
    set_tests_properties(cli_eval_shapes_${task} PROPERTIES LABELS fast
      PASS_REGULAR_EXPRESSION "task ${task}.*[0-2]/2 images have every stated attribute right.*background +[0-9.]+ %")
  endforeach()
endif()

# Live preview colours: the latent→RGB projection (choice, fitting, storage) and the embedded model.
strata_diffusion_test(test_diffusion_preview SOURCES test_latent_rgb.cpp LIBS strata_diffusion_pipeline)
