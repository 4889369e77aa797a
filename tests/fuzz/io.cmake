# libFuzzer target for strata_io's text parsers: PNG chunk walking and text chunks (tEXt/zTXt/iTXt),
# JPEG/WebP/EXIF scanning, A1111 parameters, and the InvokeAI/ComfyUI/Fooocus/Strata JSON readers.
#   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DSTRATA_FUZZ=ON
#   cmake --build build-fuzz --target fuzz_png_text
#   ./build-fuzz/tests/fuzz/fuzz_png_text -max_total_time=60 -max_len=65536
if(STRATA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "STRATA_FUZZ needs clang (-fsanitize=fuzzer); the C++ compiler is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  # Compiled into the target so that the coverage instrumentation covers them (the OpenCV and
  # libspng parts of strata_io are left out: they are not parsers of ours).
  set(STRATA_IO_DIR ${PROJECT_SOURCE_DIR}/core/io)
  add_executable(fuzz_png_text
    ${CMAKE_CURRENT_LIST_DIR}/fuzz_png_text.cpp
    ${STRATA_IO_DIR}/src/a1111_parameters.cpp
    ${STRATA_IO_DIR}/src/comfyui_metadata.cpp
    ${STRATA_IO_DIR}/src/comfyui_sdxl.cpp
    ${STRATA_IO_DIR}/src/exif_text.cpp
    ${STRATA_IO_DIR}/src/file_io.cpp
    ${STRATA_IO_DIR}/src/generation_fields.cpp
    ${STRATA_IO_DIR}/src/generation_json.cpp
    ${STRATA_IO_DIR}/src/image_header.cpp
    ${STRATA_IO_DIR}/src/metadata.cpp
    ${STRATA_IO_DIR}/src/png_text.cpp
    ${STRATA_IO_DIR}/src/text_encoding.cpp)
  target_include_directories(fuzz_png_text PRIVATE ${STRATA_IO_DIR}/include ${STRATA_IO_DIR}/src)
  target_link_libraries(fuzz_png_text PRIVATE strata_doc nlohmann_json::nlohmann_json ZLIB::ZLIB)
  target_compile_options(fuzz_png_text PRIVATE -g -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_png_text PRIVATE -fsanitize=fuzzer,address,undefined)
  strata_set_warnings(fuzz_png_text)
endif()

# libFuzzer target for the OpenRaster reader: the stack.xml parser and the whole .ora reader
# (inputs starting with "PK" are archives; anything else becomes the stack.xml of a fixed archive).
#   cmake --build build-fuzz --target fuzz_openraster
#   ./build-fuzz/tests/fuzz/fuzz_openraster -max_total_time=60 -max_len=65536 -dict=tests/fuzz/openraster.dict
if(STRATA_FUZZ)
  # Our parsers are compiled into the target for coverage; codecs, libzip and OpenCV come from
  # strata_io and the system.
  add_executable(fuzz_openraster
    ${CMAKE_CURRENT_LIST_DIR}/fuzz_openraster.cpp
    ${STRATA_IO_DIR}/src/openraster_read.cpp
    ${STRATA_IO_DIR}/src/openraster_write.cpp
    ${STRATA_IO_DIR}/src/xml_lite.cpp
    ${STRATA_IO_DIR}/src/zip_archive.cpp)
  target_include_directories(fuzz_openraster PRIVATE ${STRATA_IO_DIR}/include ${STRATA_IO_DIR}/src)
  target_link_libraries(fuzz_openraster PRIVATE strata_io PkgConfig::LIBZIP Strata::opencv_core Strata::opencv_imgproc)
  target_compile_options(fuzz_openraster PRIVATE -g -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_openraster PRIVATE -fsanitize=fuzzer,address,undefined)
  strata_set_warnings(fuzz_openraster)
endif()
