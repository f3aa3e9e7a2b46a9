# Install rules: headers, the library, a CMake package (find_package(layoffs)
# gives layoffs::layoffs) and a pkg-config file.
set(LAYOFFS_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/layoffs")

install(TARGETS layoffs EXPORT layoffsTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/layoffs"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" FILES_MATCHING PATTERN "*.h")
install(FILES "${PROJECT_BINARY_DIR}/include/layoffs/export.h"
              "${PROJECT_BINARY_DIR}/include/layoffs/version.h"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/layoffs")

install(EXPORT layoffsTargets NAMESPACE layoffs:: DESTINATION "${LAYOFFS_CMAKE_DIR}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/layoffsConfig.cmake.in"
                              "${PROJECT_BINARY_DIR}/layoffsConfig.cmake"
                              INSTALL_DESTINATION "${LAYOFFS_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/layoffsConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/layoffsConfig.cmake"
              "${PROJECT_BINARY_DIR}/layoffsConfigVersion.cmake"
        DESTINATION "${LAYOFFS_CMAKE_DIR}")

# pkg-config: a static build must also name its private dependencies.
if(BUILD_SHARED_LIBS)
  set(LAYOFFS_PC_LIBS_PRIVATE "")
else()
  set(LAYOFFS_PC_LIBS_PRIVATE "-lSQLiteCpp")
endif()
if(BUILD_SHARED_LIBS)
  set(LAYOFFS_PC_CFLAGS "")
else()
  set(LAYOFFS_PC_CFLAGS "-DLAYOFFS_STATIC_DEFINE")
endif()
# Relocatable: the prefix is found from the .pc file's own location, so an
# install with `cmake --install --prefix DIR` works wherever DIR is.
file(RELATIVE_PATH LAYOFFS_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" LAYOFFS_PC_TO_PREFIX "${LAYOFFS_PC_TO_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/layoffs.pc.in" "${PROJECT_BINARY_DIR}/layoffs.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/layoffs.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
