# strata_add_unit_test(NAME name SOURCES ... LIBS ...): one Catch2 executable registered with CTest.
# Tests find the reference kit through STRATA_REFERENCE_DIR (environment variable at run time).
function(strata_add_unit_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} strata_test_main)
  strata_set_warnings(${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 900)
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} --use-colour no)
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "STRATA_REFERENCE_DIR=${STRATA_REFERENCE_DIR};STRATA_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
