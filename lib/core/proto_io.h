// Copyright 2026 The Sluice Authors.
//
// Reading config files (specs, fleets, scenarios, judge configs) into protos:
// text format or JSON, chosen by file extension, unknown fields rejected.

#ifndef SLUICE_LIB_CORE_PROTO_IO_H_
#define SLUICE_LIB_CORE_PROTO_IO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace sluice::internal {

// The encodings a config file may use.
enum class ConfigFormat { kTextProto, kJson, kCsv };

// Picks the encoding from the file name: .json -> kJson; .csv -> kCsv;
// .textproto, .txtpb, .pbtxt, .textpb, .txt -> kTextProto. Anything else is
// kInvalidArgument naming the path and the accepted extensions.
absl::StatusOr<ConfigFormat> ConfigFormatFromPath(absl::string_view path);

// Reads a whole file. kNotFound when it does not exist, kUnavailable or
// kPermissionDenied on other I/O errors; the message names the path.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// Writes a whole file, replacing it. The message names the path on error.
absl::Status WriteStringToFile(const std::string& path,
                               absl::string_view contents);

// Parses proto text format into `message` (cleared first). Unknown fields are
// errors. Errors are kInvalidArgument "line L:C: <parser message>".
absl::Status ParseTextProto(absl::string_view text,
                            google::protobuf::Message* message);

// Parses proto JSON into `message` (cleared first). Unknown fields are errors.
absl::Status ParseJsonProto(absl::string_view text,
                            google::protobuf::Message* message);

// Parses `text` in `format` (kTextProto or kJson).
absl::Status ParseProto(absl::string_view text, ConfigFormat format,
                        google::protobuf::Message* message);

// Reads and parses a text-format or JSON file chosen by extension; errors are
// prefixed with the path.
absl::Status ParseProtoFile(const std::string& path,
                            google::protobuf::Message* message);

// Prints `message` as JSON (proto3 JSON mapping, field names in lowerCamel,
// indented, fields with default values omitted).
std::string ToJson(const google::protobuf::Message& message);

// Prints `message` in text format.
std::string ToTextProto(const google::protobuf::Message& message);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_CORE_PROTO_IO_H_
