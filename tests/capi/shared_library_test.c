/* Copyright 2026 The Sluice Authors.
 *
 * libsluice.so as a loader sees it: the file named by argv[1] opens with
 * dlopen(), its SONAME is libsluice.so.0 (checked by the install test), it
 * exports the C API (every function a binding calls is found with dlsym)
 * and nothing of the C++ library it is made of. */

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "sluice/c.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s path/to/libsluice.so\n", argv[0]);
    return 2;
  }
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  /* The C API is exported... */
  static const char* const kExported[] = {"sluice_version",
                                          "sluice_abi_version",
                                          "sluice_free",
                                          "sluice_error_code",
                                          "sluice_fleet_parse",
                                          "sluice_spec_parse",
                                          "sluice_rollout_create",
                                          "sluice_rollout_advance",
                                          "sluice_rollout_snapshot",
                                          "sluice_gate_create",
                                          "sluice_rollback_policy_create",
                                          "sluice_judge",
                                          "sluice_simulate"};
  for (size_t i = 0; i < sizeof(kExported) / sizeof(kExported[0]); ++i) {
    if (dlsym(lib, kExported[i]) == NULL) {
      fprintf(stderr, "not exported: %s\n", kExported[i]);
      ++failures;
    }
  }
  /* ... and works through the loader ... */
  const char* (*version)(void) = NULL;
  int (*abi)(void) = NULL;
  *(void**)(&version) = dlsym(lib, "sluice_version");
  *(void**)(&abi) = dlsym(lib, "sluice_abi_version");
  CHECK(version != NULL && strcmp(version(), SLUICE_C_VERSION) == 0);
  CHECK(abi != NULL && abi() == SLUICE_C_ABI_VERSION);
  /* ... but the C++ library inside it is not: sluice::Version(),
   * sluice::Rollout::Create, sluice::ParseFleetCsv. */
  static const char* const kHidden[] = {
      "_ZN6sluice7VersionEv",
      "_ZN6sluice13ParseFleetCsvESt17basic_string_viewIcSt11char_traitsIcEE",
      "_ZN6sluice13ParseFleetCsvEN4absl12lts_2022062311string_viewE",
      "_ZN6sluice13ParseFleetCsvEN4absl7debian311string_viewE"};
  for (size_t i = 0; i < sizeof(kHidden) / sizeof(kHidden[0]); ++i) {
    if (dlsym(lib, kHidden[i]) != NULL) {
      fprintf(stderr, "exported but internal: %s\n", kHidden[i]);
      ++failures;
    }
  }
  dlclose(lib);
  printf("shared_library_test: %s\n", failures == 0 ? "ok" : "FAILED");
  return failures == 0 ? 0 : 1;
}
