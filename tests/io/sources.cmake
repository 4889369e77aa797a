# strata_io tests: codecs, PNG text, atomic writes, generation metadata.
strata_add_unit_test(NAME test_io
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/test_atomic_write.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_generation_info.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_image_codec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_metadata.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_png_text.cpp
  LIBS strata_io Strata::opencv_core Strata::opencv_imgcodecs ZLIB::ZLIB)
