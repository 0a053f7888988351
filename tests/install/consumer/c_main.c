/* Copyright 2026 The Sluice Authors.
 *
 * A C program using the installed C API (libsluice.so): built with
 * find_package(sluice) and sluice::sluice_c, and with `pkg-config sluice-c`.
 * Prints "c consumer ok". */

#include <stdio.h>
#include <string.h>

#include "sluice/c.h"

int main(void) {
  static const char kCsv[] = "id,region,zone\na,r,z\nb,r,z\n";
  char* err = NULL;
  sluice_fleet_t* fleet =
      sluice_fleet_parse(kCsv, strlen(kCsv), SLUICE_FORMAT_CSV, &err);
  if (fleet == NULL) {
    fprintf(stderr, "%s\n", err);
    sluice_free(err);
    return 1;
  }
  if (sluice_fleet_size(fleet) != 2 ||
      strcmp(sluice_version(), SLUICE_C_VERSION) != 0) {
    sluice_fleet_destroy(fleet);
    return 1;
  }
  sluice_fleet_destroy(fleet);
  printf("c consumer ok (sluice %s)\n", sluice_version());
  return 0;
}
