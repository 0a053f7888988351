// Copyright 2026 The Sluice Authors.
//
// The target that builds the tests' precompiled header (tests/pch/test_pch.h);
// every test reuses it. Built as a test executable so that its compile flags
// are the tests' own (a precompiled header is only used with the flags it was
// built with).
int main() { return 0; }
