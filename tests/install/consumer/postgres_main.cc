// Copyright 2026 The Sluice Authors.
//
// A consumer of the installed PostgreSQL store (sluice::store_postgres): it
// links, and Open() of an empty URL is refused with a status (no server is
// needed). Prints "postgres consumer ok".

#include <cstdio>

#include "sluice/store/postgres_store.h"

int main() {
  auto store = sluice::PostgresStore::Open("");
  if (store.ok()) {
    std::fprintf(stderr, "Open(\"\") succeeded\n");
    return 1;
  }
  std::printf("postgres consumer ok\n");
  return 0;
}
