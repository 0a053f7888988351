// Copyright 2026 The Sluice Authors.
//
// A message's deterministic serialization: the bytes that digests and
// snapshots are made of (a spec's config_id, RolloutEngine::Snapshot()) and
// that tests compare byte for byte.

#ifndef SLUICE_LIB_CORE_PROTO_BYTES_H_
#define SLUICE_LIB_CORE_PROTO_BYTES_H_

#include <string>

#include "google/protobuf/message_lite.h"

namespace sluice::internal {

// `message` serialized with deterministic map ordering, so the same message
// gives the same bytes in every process of the same build.
std::string DeterministicBytes(const google::protobuf::MessageLite& message);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_CORE_PROTO_BYTES_H_
