#!/usr/bin/env bash
# Copyright 2026 The Sluice Authors.
#
# Installs, from Debian 12's archive, whatever Sluice needs that is missing.
# Quick (no apt-get at all) when everything is already installed.
#   tools/install_deps.sh          # build and test dependencies
#   tools/install_deps.sh --bazel  # also Bazel (bazel-bootstrap and its rules)
set -euo pipefail

# libclang-rt-14-dev: the libFuzzer runtime (-fsanitize=fuzzer) of the fuzz
# stage (fuzz/, tools/fuzz.sh).
packages=(cmake ninja-build g++ clang libclang-rt-14-dev pkgconf tzdata
          libabsl-dev libprotobuf-dev protobuf-compiler
          libgtest-dev libgmock-dev libbenchmark-dev
          python3-pytest python3-pip golang-go
          libsqlite3-dev libpq-dev postgresql
          libcurl4-openssl-dev nlohmann-json3-dev prometheus prometheus-alertmanager)
if [[ "${1:-}" == "--bazel" ]]; then
  packages+=(bazel-bootstrap bazel-rules-java bazel-platforms)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if (( ${#missing[@]} > 0 )); then
  echo "install_deps: installing ${missing[*]}" >&2
  sudo=""
  if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
