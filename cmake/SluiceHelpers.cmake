# Copyright 2026 The Sluice Authors.
#
# Helpers shared by the CMakeLists.txt files. Target names follow the Bazel
# build: a file tests/stats/mann_whitney_test.cc is the test target
# stats_mann_whitney_test in both builds.

# The absl libraries Sluice's public headers and library use.
set(SLUICE_ABSL_LIBS
    absl::status absl::statusor absl::strings absl::str_format absl::time
    absl::civil_time absl::time_zone absl::flat_hash_map absl::flat_hash_set
    absl::btree absl::inlined_vector absl::optional absl::span absl::variant
    absl::hash absl::synchronization absl::random_random
    absl::random_distributions absl::function_ref absl::cleanup absl::memory
    absl::algorithm_container absl::int128 absl::bits)

# sluice_target_name(<out-var> <path relative to its root dir>): turns
# "stats/mann_whitney_test.cc" into "stats_mann_whitney_test".
function(sluice_target_name out path)
  string(REGEX REPLACE "\\.cc$" "" name "${path}")
  string(REPLACE "/" "_" name "${name}")
  set(${out} "${name}" PARENT_SCOPE)
endfunction()

# sluice_apply_warnings(<target>): Sluice's warning flags (errors by default).
function(sluice_apply_warnings target)
  target_compile_options(${target} PRIVATE ${SLUICE_WARNINGS})
endfunction()

# ---- Components and the layering the build enforces -------------------------
#
# Each component (lib/<component>/) is one library, sluice_<component>
# (sluice::<component>), that links only the components below it. A
# component's sources must see only its own headers and those of the
# components below it, so no target gets include/ or the source root as an
# include directory. Instead the headers are staged at configure time, as
# symbolic links, under build/layers/:
#   layers/<component>/public/sluice/...          the component's public
#       headers: a PUBLIC include directory, so dependents see them;
#   layers/<component>/private/lib/<component>/...  its private headers:
#       a PRIVATE include directory of the component and of the components
#       above it (and of the tests of the component), never of tools,
#       examples, benchmarks or users.
# An #include of a header of a component above, or of a private header of a
# component that is not below, then fails with "No such file or directory".
# tests/layering/ proves it (CONTRIBUTING.md).

# sluice_stage_headers(<dir> <root> <file>...): links each <file> (an
# absolute path below <root>) as <dir>/<its path relative to <root>>, after
# removing whatever <dir> held, so deleted headers disappear too. Where
# symbolic links are not available the files are copied (then a changed
# header needs a re-configure).
function(sluice_stage_headers dir root)
  file(REMOVE_RECURSE ${dir})
  file(MAKE_DIRECTORY ${dir})
  foreach(file ${ARGN})
    file(RELATIVE_PATH rel ${root} ${file})
    get_filename_component(parent ${dir}/${rel} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(CREATE_LINK ${file} ${dir}/${rel} SYMBOLIC COPY_ON_ERROR)
  endforeach()
endfunction()

# sluice_add_component(<name>
#     PUBLIC_HEADERS <path below include/, e.g. sluice/fleet.h>...
#     [DEPS <component below it>...]
#     [LIBS <other library>...])
# Called from lib/<name>/CMakeLists.txt: the library sluice_<name> of every
# lib/<name>/*.cc, with alias sluice::<name> (also its exported name). Its
# private headers are lib/<name>/*.h. DEPS are linked PUBLIC; their private
# headers are visible to this component's sources (a component may use the
# private helpers of the components below it, e.g. lib/core/status_macros.h).
function(sluice_add_component name)
  cmake_parse_arguments(ARG "" "" "PUBLIC_HEADERS;DEPS;LIBS" ${ARGN})
  set(target sluice_${name})
  set(stage ${PROJECT_BINARY_DIR}/layers/${name})

  set(public)
  foreach(header ${ARG_PUBLIC_HEADERS})
    if(NOT EXISTS ${PROJECT_SOURCE_DIR}/include/${header})
      message(FATAL_ERROR "${name}: public header include/${header} not found")
    endif()
    list(APPEND public ${PROJECT_SOURCE_DIR}/include/${header})
  endforeach()
  file(GLOB private CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.h)
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  sluice_stage_headers(${stage}/public ${PROJECT_SOURCE_DIR}/include ${public})
  sluice_stage_headers(${stage}/private ${PROJECT_SOURCE_DIR} ${private})
  set_property(GLOBAL APPEND PROPERTY SLUICE_OWNED_HEADERS ${public})

  set(private_dirs ${stage}/private)
  set(dep_targets)
  foreach(dep ${ARG_DEPS})
    if(NOT TARGET sluice_${dep})
      message(FATAL_ERROR "${name}: component ${dep} must be added before it")
    endif()
    get_target_property(dep_dirs sluice_${dep} SLUICE_PRIVATE_INCLUDE_DIRS)
    list(APPEND private_dirs ${dep_dirs})
    list(APPEND dep_targets sluice_${dep})
  endforeach()
  list(REMOVE_DUPLICATES private_dirs)

  add_library(${target} ${srcs} ${private} ${public})
  add_library(sluice::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES
    EXPORT_NAME ${name}
    SLUICE_PRIVATE_INCLUDE_DIRS "${private_dirs}")
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${stage}/public>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${private_dirs})
  target_link_libraries(${target} PUBLIC ${dep_targets} sluice_proto
                        ${SLUICE_ABSL_LIBS} Threads::Threads ${ARG_LIBS})
  sluice_apply_warnings(${target})
  set_property(GLOBAL APPEND PROPERTY SLUICE_COMPONENTS ${name})
endfunction()

# sluice_compile_as_component(<target> <component>): compiles <target>'s
# sources as if they were <component>'s own: its public headers and those
# below it, and the private headers it may use. For the tests of a component
# and for tests/layering/.
function(sluice_compile_as_component target component)
  get_target_property(dirs sluice_${component} SLUICE_PRIVATE_INCLUDE_DIRS)
  target_include_directories(${target} PRIVATE ${dirs})
  target_link_libraries(${target} PRIVATE sluice_${component})
endfunction()
