# Tokenizers: CLIP ids against transformers for the 150 reference prompts (both vocabulary formats),
# the ftfy-style text pipeline piece by piece, SentencePiece against libsentencepiece on models
# trained in the test. Torch-free on purpose: libsentencepiece (trainer and reference here) crashes
# any process that also loads libtorch's libprotobuf, so this executable must never link torch.
strata_add_unit_test(NAME test_diffusion_tokenizer
  SOURCES test_clip_tokenizer.cpp test_text_fix.cpp test_sentencepiece_tokenizer.cpp
  LIBS strata_diffusion_tokenizer PkgConfig::SENTENCEPIECE ZLIB::ZLIB nlohmann_json::nlohmann_json)
target_include_directories(test_diffusion_tokenizer PRIVATE ${PROJECT_SOURCE_DIR}/core/diffusion/src)
