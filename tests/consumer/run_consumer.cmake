# cmake -DMODE=find_package|add_subdirectory|pkg-config -DLAYOFFS_SOURCE_DIR=...
#       -DLAYOFFS_BINARY_DIR=... -DWORK_DIR=... -DCXX=... -P run_consumer.cmake
#
# Builds and runs tests/consumer/consumer.cpp the way a user of layoffs would.
# The install prefix and the database are made afresh; the consumer's build
# directory is kept, so that a second test run rebuilds only what changed
# (the add_subdirectory consumer compiles the whole library the first time).
set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${prefix}" "${WORK_DIR}/consumer" "${WORK_DIR}/consumer.db"
     "${WORK_DIR}/consumer.db-wal" "${WORK_DIR}/consumer.db-shm")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()

if(MODE STREQUAL "find_package" OR MODE STREQUAL "pkg-config")
  run("${CMAKE_COMMAND}" --install "${LAYOFFS_BINARY_DIR}" --prefix "${prefix}")
endif()

if(MODE STREQUAL "find_package")
  run("${CMAKE_COMMAND}" -S "${LAYOFFS_SOURCE_DIR}/tests/consumer/find_package" -B "${WORK_DIR}/build"
      "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_CXX_COMPILER=${CXX}")
  run("${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
  run("${WORK_DIR}/build/consumer" "${WORK_DIR}/consumer.db")
elseif(MODE STREQUAL "add_subdirectory")
  run("${CMAKE_COMMAND}" -S "${LAYOFFS_SOURCE_DIR}/tests/consumer/add_subdirectory"
      -B "${WORK_DIR}/build" "-DLAYOFFS_SOURCE_DIR=${LAYOFFS_SOURCE_DIR}"
      "-DCMAKE_CXX_COMPILER=${CXX}")
  run("${CMAKE_COMMAND}" --build "${WORK_DIR}/build" --parallel 2)
  run("${WORK_DIR}/build/consumer" "${WORK_DIR}/consumer.db")
elseif(MODE STREQUAL "pkg-config")
  find_program(PKG_CONFIG pkg-config REQUIRED)
  file(GLOB_RECURSE pc_files "${prefix}/*/layoffs.pc")
  list(GET pc_files 0 pc_file)
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  execute_process(COMMAND "${PKG_CONFIG}" --static --cflags --libs layoffs
                  OUTPUT_VARIABLE flags RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --static --cflags --libs layoffs failed")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run("${CXX}" -std=c++20 "${LAYOFFS_SOURCE_DIR}/tests/consumer/consumer.cpp" -o
      "${WORK_DIR}/consumer" ${flags})
  run("${WORK_DIR}/consumer" "${WORK_DIR}/consumer.db")
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
