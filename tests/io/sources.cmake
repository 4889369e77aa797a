# strata_io tests: codecs, PNG text, atomic writes, generation metadata, infill, OpenRaster.
strata_add_unit_test(NAME test_io
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/test_atomic_write.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_generation_info.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_image_codec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_infill.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_metadata.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_metadata_sdxl.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_openraster.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_ora_corrupt.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_ora_bomb.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_ora_tiles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_png_text.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_project.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_xml_lite.cpp
  LIBS strata_io Strata::opencv_core Strata::opencv_imgcodecs ZLIB::ZLIB)
# The XML reader and zip wrapper tests use strata_io's internal headers.
target_include_directories(test_io PRIVATE ${PROJECT_SOURCE_DIR}/core/io/src)
