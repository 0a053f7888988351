// Copyright 2026 The Sluice Authors.
//
// A consumer of the installed SQLite store (sluice::store_sqlite, or
// `pkg-config sluice_store_sqlite`): opens a store in a file named by
// argv[1], lists it (empty), and prints "store consumer ok".

#include <cstdio>

#include "sluice/store/sqlite_store.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: store_consumer DB_FILE\n");
    return 2;
  }
  auto store = sluice::SqliteStore::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  auto ids = (*store)->List();
  if (!ids.ok() || !ids->empty()) {
    std::fprintf(stderr, "List of a new store failed or not empty\n");
    return 1;
  }
  std::printf("store consumer ok\n");
  return 0;
}
