# Applies STRATA_SANITIZE (e.g. "address;undefined") to everything built after this point.
if(STRATA_SANITIZE)
  string(REPLACE ";" "," _strata_san "${STRATA_SANITIZE}")
  add_compile_options(-fsanitize=${_strata_san} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${_strata_san})
endif()
