# Tests of the "prompt" part (torch-free; the shared test helper still adds the torch PCH).
strata_diffusion_test(test_diffusion_prompt SOURCES test_prompt.cpp LIBS strata_diffusion_prompt)
