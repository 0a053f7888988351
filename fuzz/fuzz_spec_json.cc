// Copyright 2026 The Sluice Authors.
//
// libFuzzer target: the spec loader, JSON.

#include "fuzz/fuzz_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return sluice::fuzz::FuzzSpec(data, size, sluice::SpecFormat::kJson);
}
