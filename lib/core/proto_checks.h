// Copyright 2026 The Sluice Authors.
//
// Checks every parsed config message gets (ParseTextProto, ParseJsonProto),
// for what protobuf's parsers let through: enum numbers no value has (proto3
// enums are open, so "region_order_default: 99" parses), durations beyond
// google.protobuf.Duration's range, timestamps outside 0001-9999, strings that
// are not UTF-8 (text format's "\377" escapes), and in JSON duplicate keys
// and strings where a bool is expected. Errors name the field's path.

#ifndef SLUICE_LIB_CORE_PROTO_CHECKS_H_
#define SLUICE_LIB_CORE_PROTO_CHECKS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace sluice::internal {

// Walks every set field of `message`. Errors are kInvalidArgument
// "<path>: <what>", e.g. "waves.staged.region_order_default: unknown value
// 99 of enum sluice.v1.Staged.RegionOrder".
absl::Status CheckMessageFields(const google::protobuf::Message& message);

// Checks JSON text (already accepted by protobuf's parser as `descriptor`)
// for duplicate object keys and for strings where a bool is expected.
// Errors are kInvalidArgument "<path>: ...", e.g. "waves.staged: duplicate
// key \"bakes\"".
absl::Status CheckJsonText(absl::string_view json,
                           const google::protobuf::Descriptor* descriptor);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_CORE_PROTO_CHECKS_H_
