# Install layout and the Debian package (CPack DEB):
#   bin/strata, bin/strata-cli
#   share/strata/models/strata-shapes/   the embedded default model (found relative to the binary,
#                                        strata/io/default_model.h); training checkpoints excluded
#   share/strata/clip/                   CLIP's BPE vocabulary (OpenAI, MIT: LICENSE beside it), the
#                                        tokenizer of every CLIP-family model that has none beside it
#                                        (strata/diffusion/model_tokenizer.h)
#   share/applications, share/metainfo, share/icons/hicolor/scalable/apps   desktop integration
# `cmake --install build --prefix DIR` installs it anywhere; `cpack -G DEB` (in the build folder)
# makes strata_<version>_<arch>.deb with its library dependencies computed by dpkg-shlibdeps.
include(GNUInstallDirs)

if(EXISTS "${PROJECT_SOURCE_DIR}/models/strata-shapes")
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/models/strata-shapes"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/strata/models"
          PATTERN "checkpoints" EXCLUDE
          PATTERN "*.tmp" EXCLUDE)
endif()
install(FILES "${PROJECT_SOURCE_DIR}/resources/clip/bpe_simple_vocab_16e6.txt.gz" "${PROJECT_SOURCE_DIR}/resources/clip/LICENSE"
              "${PROJECT_SOURCE_DIR}/resources/clip/README.md"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/strata/clip")
install(FILES "${PROJECT_SOURCE_DIR}/packaging/io.strata.Strata.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${PROJECT_SOURCE_DIR}/packaging/io.strata.Strata.metainfo.xml" DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/io.strata.Strata.svg"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "strata")
set(CPACK_PACKAGE_VENDOR "Strata")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Layered canvas for AI image generation (Stable Diffusion)")
set(CPACK_PACKAGE_CONTACT "Strata developers <strata@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SECTION "graphics")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Not a link dependency: libtorch picks the fast BLAS up at run time (40x over the reference BLAS).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "A native canvas for Stable Diffusion: layers, masks, per-layer
 denoising strength, inpainting and outpainting through one per-pixel strength map, live previews,
 OpenRaster projects. Runs SD 1.x .safetensors checkpoints on CPU or CUDA and ships a small
 embedded model, so it generates with no download.")
set(CPACK_STRIP_FILES ON)
include(CPack)
