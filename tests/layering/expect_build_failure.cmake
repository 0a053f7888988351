# Copyright 2026 The Sluice Authors.
#
# Builds TARGET in the build tree BINARY_DIR and passes only when the build
# fails because the header MISSING cannot be found: a non-zero exit and the
# compiler's message for that header (gcc: "MISSING: No such file or
# directory"; clang: "'MISSING' file not found"). Run by CTest as
#   cmake -DBINARY_DIR=... -DTARGET=... -DMISSING=... -P expect_build_failure.cmake

execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --target ${TARGET}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(log "${out}${err}")
string(REPLACE "." "\\." header_re "${MISSING}")
if(rc EQUAL 0)
  message(FATAL_ERROR "${TARGET} built, but it includes ${MISSING}, which "
                      "its component must not see:\n${log}")
endif()
if(NOT log MATCHES "${header_re}'?: No such file or directory"
   AND NOT log MATCHES "'${header_re}' file not found")
  message(FATAL_ERROR "${TARGET} failed to build, but not because "
                      "${MISSING} is missing:\n${log}")
endif()
string(REGEX MATCH "[^\n]*(${header_re}'?: No such file or directory|'${header_re}' file not found)[^\n]*"
       line "${log}")
message(STATUS "${TARGET} does not compile, as it should: ${line}")
