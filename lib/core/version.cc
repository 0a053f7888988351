// Copyright 2026 The Sluice Authors.

#include "sluice/version.h"

#define SLUICE_STR_INNER_(x) #x
#define SLUICE_STR_(x) SLUICE_STR_INNER_(x)

namespace sluice {

const char* Version() {
  return SLUICE_STR_(SLUICE_VERSION_MAJOR) "." SLUICE_STR_(
      SLUICE_VERSION_MINOR) "." SLUICE_STR_(SLUICE_VERSION_PATCH);
}

}  // namespace sluice
