# strata_add_unit_test(NAME name [LABEL fast|slow|gui] SOURCES ... LIBS ...): one Catch2 executable
# registered with CTest. Tests find the reference kit through STRATA_REFERENCE_DIR (environment
# variable at run time).
#
# Every ctest test carries one of three labels (tests added with add_test set LABELS themselves):
#   fast  the quick loop, `ctest --test-dir build -L fast` (the default here)
#   slow  over ~20 s on the 2-core dev machine, and the package test
#   gui   the Qt window's tests (offscreen / Xvfb)
function(strata_add_unit_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT;LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} strata_test_main)
  strata_set_warnings(${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 900)
  endif()
  if(NOT T_LABEL)
    set(T_LABEL fast)
  endif()
  if(NOT T_LABEL MATCHES "^(fast|slow|gui)$")
    message(FATAL_ERROR "strata_add_unit_test(${T_NAME}): LABEL must be fast, slow or gui, not '${T_LABEL}'")
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} --use-colour no)
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS ${T_LABEL}
    ENVIRONMENT "STRATA_REFERENCE_DIR=${STRATA_REFERENCE_DIR};STRATA_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
