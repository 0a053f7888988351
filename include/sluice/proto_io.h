// Copyright 2026 The Sluice Authors.
//
// Reading and writing configuration messages: text format or JSON, chosen by
// the file's extension, with unknown fields rejected and errors that name the
// line.
//
// Sluice's configuration is protobuf (proto/sluice/v1/): specs, fleets,
// scenarios, judge configs. RolloutSpec::LoadFile() and LoadFleetFile() read
// their own files; these functions are what they use, for a host (or the
// `sluice` program) that reads or writes any of the messages itself, e.g. a
// judge config (sluice.v1.KayentaJudgeSpec) or a simulation result. They
// read and write the file system and nothing else.
//
// Example:
//
//   sluice::v1::KayentaJudgeSpec spec;
//   if (absl::Status s = sluice::ParseProtoFile("judge.textproto", &spec);
//       !s.ok()) {
//     std::cerr << s << "\n";  // "judge.textproto: line 3:5: ..."
//     return 1;
//   }
//   std::cout << sluice::ToJson(spec);

#ifndef SLUICE_PROTO_IO_H_
#define SLUICE_PROTO_IO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace sluice {

// The encodings a config file may use.
enum class ConfigFormat {
  // Protocol buffer text format (.textproto, .txtpb, .pbtxt, .textpb, .txt).
  kTextProto,
  // The proto3 JSON mapping (.json).
  kJson,
  // Comma-separated values (.csv): fleets and sample files, not messages.
  kCsv,
};

// Picks the encoding from the file name: .json -> kJson; .csv -> kCsv;
// .textproto, .txtpb, .pbtxt, .textpb, .txt -> kTextProto (case does not
// matter). Anything else is kInvalidArgument naming the path and the
// accepted extensions.
absl::StatusOr<ConfigFormat> ConfigFormatFromPath(absl::string_view path);

// Reads a whole file. kNotFound when it does not exist, kUnavailable or
// kPermissionDenied on other I/O errors; the message names the path.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// Writes a whole file, replacing it. The message names the path on error.
absl::Status WriteStringToFile(const std::string& path,
                               absl::string_view contents);

// The deepest nesting of messages the text-format and JSON parsers accept:
// 100, as protobuf's JSON parser. Deeper input is kInvalidArgument rather
// than a stack overflow.
inline constexpr int kMaxMessageDepth = 100;

// Parses proto text format into `message` (cleared first). Unknown fields are
// errors; so is nesting deeper than kMaxMessageDepth. Errors are
// kInvalidArgument "line L:C: <parser message>". Both parsers then refuse,
// with the field's path ("waves.staged.region_order_default: unknown value 99
// of enum ..."): text that is not UTF-8 (UTF-16 and UTF-32 named), strings
// that are not UTF-8, enum numbers no value has, durations beyond
// google.protobuf.Duration's range (10000 years) and timestamps outside
// 0001-01-01..9999-12-31. On error `message` is left empty.
absl::Status ParseTextProto(absl::string_view text,
                            google::protobuf::Message* message);

// Parses proto JSON into `message` (cleared first). Unknown fields are
// errors (kInvalidArgument); so are duplicate keys in an object and a string
// where a bool is expected ("true"), and whatever ParseTextProto() refuses.
absl::Status ParseJsonProto(absl::string_view text,
                            google::protobuf::Message* message);

// Parses `text` in `format`: kTextProto or kJson (kCsv is kInvalidArgument).
absl::Status ParseProto(absl::string_view text, ConfigFormat format,
                        google::protobuf::Message* message);

// Reads and parses a text-format or JSON file chosen by extension
// (ConfigFormatFromPath()); errors are prefixed with the path.
absl::Status ParseProtoFile(const std::string& path,
                            google::protobuf::Message* message);

// Prints `message` as JSON (proto3 JSON mapping, field names in lowerCamel,
// indented, fields with default values omitted).
std::string ToJson(const google::protobuf::Message& message);

// Prints `message` in text format.
std::string ToTextProto(const google::protobuf::Message& message);

}  // namespace sluice

#endif  // SLUICE_PROTO_IO_H_
