# Copyright 2026 The Sluice Authors.
#
# The install/consumer test, run by CTest as `cmake -P`:
#   1. installs the build tree into a fresh prefix;
#   2. builds tests/install/consumer against it with find_package(sluice):
#      one program links sluice::sluice, one only sluice::core;
#   3. builds the same program with the flags `pkg-config sluice` prints;
#   4. runs them, which must print "consumer ok";
#   5. the same for a C program on the C API alone: sluice::sluice_c, then
#      `pkg-config sluice-c` (libsluice.so.0 and its SONAME);
#   6. the SQLite and PostgreSQL stores, when built (components store_sqlite,
#      store_postgres; pkg-config sluice_store_sqlite, sluice_store_postgres);
#   7. the Prometheus adapters, when built (component prometheus; pkg-config
#      sluice_prometheus).
# Inputs: SLUICE_BINARY_DIR, SLUICE_SOURCE_DIR, WORK_DIR.

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${SLUICE_BINARY_DIR} --prefix ${prefix})
foreach(f include/sluice/fleet.h include/sluice/v1/fleet.pb.h bin/sluice
          include/sluice/c.h)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${prefix}/${f}")
  endif()
endforeach()
file(GLOB_RECURSE pc_files ${prefix}/*/sluice.pc)
file(GLOB_RECURSE config_files ${prefix}/*/sluiceConfig.cmake)
if(NOT pc_files OR NOT config_files)
  message(FATAL_ERROR "sluice.pc or sluiceConfig.cmake not installed")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)

# find_package(sluice)
run(${CMAKE_COMMAND} -S ${SLUICE_SOURCE_DIR}/tests/install/consumer
    -B ${WORK_DIR}/cmake_build -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake_build)
run(${WORK_DIR}/cmake_build/consumer)
if(NOT last_output MATCHES "consumer ok")
  message(FATAL_ERROR "find_package consumer printed: ${last_output}")
endif()
message(STATUS "find_package: ${last_output}")
run(${WORK_DIR}/cmake_build/core_consumer)
if(NOT last_output MATCHES "core consumer ok")
  message(FATAL_ERROR "find_package sluice::core consumer printed: "
                      "${last_output}")
endif()
message(STATUS "find_package, sluice::core alone: ${last_output}")

# pkg-config
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
run(${PKG_CONFIG} --cflags --libs sluice)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
find_program(CXX NAMES c++ g++ clang++ REQUIRED)
run(${CXX} -std=c++17 ${SLUICE_SOURCE_DIR}/tests/install/consumer/main.cc ${flags}
    -o ${WORK_DIR}/pkgconfig_consumer)
run(${WORK_DIR}/pkgconfig_consumer)
if(NOT last_output MATCHES "consumer ok")
  message(FATAL_ERROR "pkg-config consumer printed: ${last_output}")
endif()
message(STATUS "pkg-config: ${last_output}")

# The C API: find_package(sluice) with sluice::sluice_c, and pkg-config.
run(${WORK_DIR}/cmake_build/c_consumer)
if(NOT last_output MATCHES "c consumer ok")
  message(FATAL_ERROR "find_package C consumer printed: ${last_output}")
endif()
message(STATUS "find_package, sluice::sluice_c: ${last_output}")
run(${PKG_CONFIG} --cflags --libs sluice-c)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${PKG_CONFIG} --variable=libdir sluice-c)
string(STRIP "${last_output}" c_libdir)
if(NOT EXISTS ${c_libdir}/libsluice.so.0)
  message(FATAL_ERROR "libsluice.so.0 not in ${c_libdir}")
endif()
find_program(CC NAMES cc gcc clang REQUIRED)
run(${CC} -std=c99 -Wall -Werror ${SLUICE_SOURCE_DIR}/tests/install/consumer/c_main.c
    ${flags} -o ${WORK_DIR}/pkgconfig_c_consumer)
run(${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${c_libdir}
    ${WORK_DIR}/pkgconfig_c_consumer)
if(NOT last_output MATCHES "c consumer ok")
  message(FATAL_ERROR "pkg-config C consumer printed: ${last_output}")
endif()
message(STATUS "pkg-config sluice-c: ${last_output}")

# The testing kit, when installed: find_package(sluice COMPONENTS testing)
# brings GoogleTest; a program links sluice::testing alone.
if(EXISTS ${WORK_DIR}/cmake_build/testing_consumer)
  run(${WORK_DIR}/cmake_build/testing_consumer)
  if(NOT last_output MATCHES "testing consumer ok")
    message(FATAL_ERROR "testing consumer printed: ${last_output}")
  endif()
  message(STATUS "sluice::testing: ${last_output}")
  run(${PKG_CONFIG} --libs sluice_testing)
  message(STATUS "pkg-config sluice_testing: ${last_output}")
endif()
# The stores, when installed: find_package(sluice COMPONENTS store_sqlite)
# and store_postgres (each finds its client library), and
# `pkg-config sluice_store_sqlite`.
if(EXISTS ${WORK_DIR}/cmake_build/store_consumer)
  run(${WORK_DIR}/cmake_build/store_consumer ${WORK_DIR}/store.db)
  if(NOT last_output MATCHES "store consumer ok")
    message(FATAL_ERROR "store consumer printed: ${last_output}")
  endif()
  message(STATUS "sluice::store_sqlite: ${last_output}")
  run(${PKG_CONFIG} --cflags --libs sluice_store_sqlite)
  string(STRIP "${last_output}" flags)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run(${CXX} -std=c++17
      ${SLUICE_SOURCE_DIR}/tests/install/consumer/store_main.cc ${flags}
      -o ${WORK_DIR}/pkgconfig_store_consumer)
  run(${WORK_DIR}/pkgconfig_store_consumer ${WORK_DIR}/store_pc.db)
  if(NOT last_output MATCHES "store consumer ok")
    message(FATAL_ERROR "pkg-config store consumer printed: ${last_output}")
  endif()
  message(STATUS "pkg-config sluice_store_sqlite: ${last_output}")
elseif(EXISTS ${SLUICE_BINARY_DIR}/sluice_store_sqlite.pc)
  message(FATAL_ERROR "sluice_store_sqlite was built but find_package(sluice "
                      "COMPONENTS store_sqlite) did not find it")
endif()
if(EXISTS ${WORK_DIR}/cmake_build/postgres_consumer)
  run(${WORK_DIR}/cmake_build/postgres_consumer)
  if(NOT last_output MATCHES "postgres consumer ok")
    message(FATAL_ERROR "postgres consumer printed: ${last_output}")
  endif()
  message(STATUS "sluice::store_postgres: ${last_output}")
  run(${PKG_CONFIG} --libs sluice_store_postgres)
  message(STATUS "pkg-config sluice_store_postgres: ${last_output}")
elseif(EXISTS ${SLUICE_BINARY_DIR}/sluice_store_postgres.pc)
  message(FATAL_ERROR "sluice_store_postgres was built but find_package("
                      "sluice COMPONENTS store_postgres) did not find it")
endif()
# The Prometheus adapters, when installed: find_package(sluice COMPONENTS
# prometheus) finds CURL; `pkg-config sluice_prometheus`.
if(EXISTS ${WORK_DIR}/cmake_build/prometheus_consumer)
  run(${WORK_DIR}/cmake_build/prometheus_consumer)
  if(NOT last_output MATCHES "prometheus consumer ok")
    message(FATAL_ERROR "prometheus consumer printed: ${last_output}")
  endif()
  message(STATUS "sluice::prometheus: ${last_output}")
  run(${PKG_CONFIG} --cflags --libs sluice_prometheus)
  string(STRIP "${last_output}" flags)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run(${CXX} -std=c++17
      ${SLUICE_SOURCE_DIR}/tests/install/consumer/prometheus_main.cc ${flags}
      -o ${WORK_DIR}/pkgconfig_prometheus_consumer)
  run(${WORK_DIR}/pkgconfig_prometheus_consumer)
  if(NOT last_output MATCHES "prometheus consumer ok")
    message(FATAL_ERROR "pkg-config prometheus consumer printed: "
                        "${last_output}")
  endif()
  message(STATUS "pkg-config sluice_prometheus: ${last_output}")
elseif(EXISTS ${SLUICE_BINARY_DIR}/sluice_prometheus.pc)
  message(FATAL_ERROR "sluice_prometheus was built but find_package(sluice "
                      "COMPONENTS prometheus) did not find it")
endif()
# A store whose client library is missing (here: hidden) fails a required
# find_package with the reason.
if(EXISTS ${WORK_DIR}/cmake_build/store_consumer)
  file(WRITE ${WORK_DIR}/no_sqlite/CMakeLists.txt
       "cmake_minimum_required(VERSION 3.22)\n"
       "project(no_sqlite LANGUAGES CXX)\n"
       "find_package(sluice REQUIRED COMPONENTS store_sqlite)\n")
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK_DIR}/no_sqlite
                  -B ${WORK_DIR}/no_sqlite/build -DCMAKE_PREFIX_PATH=${prefix}
                  -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=TRUE
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0 OR NOT err MATCHES "sluice::store_sqlite needs SQLite3")
    message(FATAL_ERROR "find_package(sluice COMPONENTS store_sqlite) "
                        "without SQLite3: ${rc}\n${err}")
  endif()
  message(STATUS "find_package(sluice COMPONENTS store_sqlite) without "
                 "SQLite3 fails with the reason")
endif()
# A component that does not exist fails find_package with the reason.
file(WRITE ${WORK_DIR}/bad_component/CMakeLists.txt
     "cmake_minimum_required(VERSION 3.22)\n"
     "project(bad LANGUAGES CXX)\n"
     "find_package(sluice REQUIRED COMPONENTS nosuch)\n")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK_DIR}/bad_component
                -B ${WORK_DIR}/bad_component/build -DCMAKE_PREFIX_PATH=${prefix}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "no component \"nosuch\"")
  message(FATAL_ERROR "find_package(sluice COMPONENTS nosuch): ${rc}\n${err}")
endif()
message(STATUS "find_package(sluice COMPONENTS nosuch) fails with the reason")
