# Training: a tiny end-to-end run of strata-train's code (seconds): losses fall, a seed fixes the
# weights, stop + resume equals an uninterrupted run, the export loads and generates. The tokenizer
# comes from strata-spm-train run as a subprocess (libsentencepiece cannot share this process).
if(TARGET strata-spm-train)
  strata_diffusion_test(test_diffusion_training LABEL slow SOURCES test_training.cpp
    LIBS strata_diffusion_training strata_diffusion_pipeline)
  target_compile_definitions(test_diffusion_training PRIVATE STRATA_SPM_TRAIN="$<TARGET_FILE:strata-spm-train>")
  add_dependencies(test_diffusion_training strata-spm-train)
endif()
