# Project options. Every option has a safe default for a fresh Debian 12 machine.
option(STRATA_BUILD_TESTS "Build the Catch2 test executables" ON)
option(STRATA_WERROR "Treat warnings as errors" OFF)
option(STRATA_USE_CCACHE "Use ccache when it is installed" ON)
option(STRATA_PCH "Precompile torch headers for strata_diffusion and its tests" ON)
option(STRATA_BUILD_GUI "Build the Qt 6 canvas application (strata) and strata_ui when Qt 6 Widgets is found" ON)
option(STRATA_TRAIN_ONLY "Build strata-train and the libraries it needs, nothing else (a GPU machine with a CUDA libtorch: packaging/gpu/)" OFF)
option(STRATA_FUZZ "Build libFuzzer targets under tests/fuzz (clang only)" OFF)
set(STRATA_SANITIZE "" CACHE STRING "Sanitizers to enable: address, undefined, or address;undefined")
set(STRATA_REFERENCE_DIR "${CMAKE_CURRENT_SOURCE_DIR}/../shared/reference" CACHE PATH
    "Folder with the numerical references (never copied into the repo)")

if(STRATA_USE_CCACHE)
  find_program(CCACHE_PROGRAM ccache)
  if(CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
    set(CMAKE_C_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
  endif()
endif()
