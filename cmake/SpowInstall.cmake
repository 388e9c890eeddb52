# cmake --install build --prefix P lays out:
#
#   P/lib/libspow.so.X.Y.Z, .so.X, .so    shared libspow (SONAME libspow.so.X)
#   P/lib/libspow.a                       static libspow
#   P/include/spow.h, spow_config.h       the API, version and build choices
#   P/lib/pkgconfig/spow.pc               pkg-config --cflags --libs spow
#   P/lib/cmake/spow/                     find_package(spow CONFIG): spow::spow
#                                         (shared) and spow::spow_static
#   P/bin/spow-gen, spow-inspect          the programs, when built
#   P/share/spow/tables/                  the shipped tables, C and JSON
#   P/share/man/man1/spow-gen.1, ...      their manual pages
#
# (lib is CMAKE_INSTALL_LIBDIR, lib/<multiarch> for a /usr prefix on Debian.)
# Nothing records P at configure time: the pkg-config file finds its prefix
# from its own location and the CMake package from its own, so the same
# build installs anywhere.
include(CMakePackageConfigHelpers)

set(SPOW_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/spow)

# spow::spow is the shared library, what a consumer usually wants (one copy
# of the tables per process, updates without relinking); spow::spow_static
# for a self-contained binary.
set_target_properties(spow_shared PROPERTIES EXPORT_NAME spow)
set_target_properties(spow PROPERTIES EXPORT_NAME spow_static)
# The same names for a project that adds spow's source tree with
# add_subdirectory or FetchContent instead of installing it.
add_library(spow::spow ALIAS spow_shared)
add_library(spow::spow_static ALIAS spow)
install(TARGETS spow spow_shared EXPORT spowTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/runtime/include/spow.h
              ${PROJECT_BINARY_DIR}/runtime/include/spow_config.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT spowTargets NAMESPACE spow:: DESTINATION ${SPOW_CMAKE_DIR})
# The static library links the BLAS of SPOW_BLAS; spowConfig.cmake recreates
# the imported target it names (PkgConfig::<SPOW_BLAS_VAR>).
string(REPLACE "PkgConfig::" "" SPOW_BLAS_VAR "${SPOW_BLAS_TARGET}")
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/spowConfig.cmake.in
  ${PROJECT_BINARY_DIR}/spowConfig.cmake INSTALL_DESTINATION ${SPOW_CMAKE_DIR})
# 0.x: a minor release may change the API, so only the same minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/spowConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/spowConfig.cmake
              ${PROJECT_BINARY_DIR}/spowConfigVersion.cmake
        DESTINATION ${SPOW_CMAKE_DIR})

# spow.pc: prefix relative to the file itself (${pcfiledir}).
set(SPOW_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  message(FATAL_ERROR "spow.pc needs CMAKE_INSTALL_LIBDIR and CMAKE_INSTALL_INCLUDEDIR "
                      "relative to the prefix")
endif()
file(RELATIVE_PATH SPOW_PC_TO_PREFIX /prefix/${SPOW_PC_DIR} /prefix)
string(REGEX REPLACE "/$" "" SPOW_PC_TO_PREFIX "${SPOW_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/spow.pc.in ${PROJECT_BINARY_DIR}/spow.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/spow.pc DESTINATION ${SPOW_PC_DIR})

# Programs (by target name: their CMake lives with their sources) and their
# manual pages (man/*.1.in, hand-written; the version comes from project()).
set(SPOW_PROGRAMS)
if(SPOW_BUILD_GEN)
  list(APPEND SPOW_PROGRAMS spow-gen)
endif()
if(SPOW_BUILD_INSPECT)
  list(APPEND SPOW_PROGRAMS spow-inspect)
endif()
foreach(prog IN LISTS SPOW_PROGRAMS)
  configure_file(${PROJECT_SOURCE_DIR}/man/${prog}.1.in ${PROJECT_BINARY_DIR}/man/${prog}.1 @ONLY)
  install(TARGETS ${prog} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_BINARY_DIR}/man/${prog}.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()

# The shipped tables, for users who compile them into their own code or read
# the JSON (spow-inspect --json, the Python package).
# bf16/ keeps its folder.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/tables/ DESTINATION ${CMAKE_INSTALL_DATADIR}/spow/tables
        FILES_MATCHING PATTERN "*.c" PATTERN "*.json")
