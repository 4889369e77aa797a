# Debian splits OpenCV into per-module -dev packages that ship no CMake config (only the big
# libopencv-dev meta package does). Find the modules we use directly and expose imported targets
# Strata::opencv_<module>.
find_path(STRATA_OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
if(NOT STRATA_OPENCV_MODULES)
  set(STRATA_OPENCV_MODULES core imgproc imgcodecs photo)
endif()
foreach(module ${STRATA_OPENCV_MODULES})
  find_library(STRATA_OPENCV_${module}_LIBRARY opencv_${module} REQUIRED)
  add_library(Strata::opencv_${module} UNKNOWN IMPORTED)
  set_target_properties(Strata::opencv_${module} PROPERTIES
    IMPORTED_LOCATION "${STRATA_OPENCV_${module}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${STRATA_OPENCV_INCLUDE_DIR}")
endforeach()
