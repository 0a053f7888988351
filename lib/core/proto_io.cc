// Copyright 2026 The Sluice Authors.
//
// Reading and writing configuration messages (sluice/proto_io.h).

#include "sluice/proto_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "lib/core/proto_checks.h"
#include "lib/core/status_macros.h"
#include "lib/core/utf8.h"

namespace sluice {
namespace {

class CollectingErrorPrinter : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    // The parser counts from 0; people count from 1.
    errors_.push_back(
        absl::StrCat("line ", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    AddError(line, column, message);
  }
  std::string Joined() const { return absl::StrJoin(errors_, "; "); }

 private:
  std::vector<std::string> errors_;
};

}  // namespace

absl::StatusOr<ConfigFormat> ConfigFormatFromPath(absl::string_view path) {
  if (absl::EndsWithIgnoreCase(path, ".json")) return ConfigFormat::kJson;
  if (absl::EndsWithIgnoreCase(path, ".csv")) return ConfigFormat::kCsv;
  for (absl::string_view ext :
       {".textproto", ".txtpb", ".pbtxt", ".textpb", ".txt"}) {
    if (absl::EndsWithIgnoreCase(path, ext)) return ConfigFormat::kTextProto;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path,
                   ": unknown file type; use .textproto (.txtpb, .pbtxt), "
                   ".json or .csv"));
}

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    }
    if (err == EACCES) {
      return absl::PermissionDeniedError(
          absl::StrCat(path, ": permission denied"));
    }
    return absl::UnavailableError(
        absl::StrCat(path, ": cannot open: ", std::strerror(err)));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) {
    return absl::UnavailableError(absl::StrCat(path, ": read error"));
  }
  return contents.str();
}

absl::Status WriteStringToFile(const std::string& path,
                               absl::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return absl::UnavailableError(absl::StrCat(
        path, ": cannot open for writing: ", std::strerror(errno)));
  }
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat(path, ": write error"));
  return absl::OkStatus();
}

absl::Status ParseTextProto(absl::string_view text,
                            google::protobuf::Message* message) {
  message->Clear();
  SLUICE_RETURN_IF_ERROR(internal::CheckUtf8Text(text));
  google::protobuf::TextFormat::Parser parser;
  CollectingErrorPrinter errors;
  parser.RecordErrorsTo(&errors);
  parser.AllowUnknownField(false);
  // Protobuf 3.21's text parser has no recursion limit by default: a deeply
  // nested message would overflow the stack. JSON's parser stops at the same
  // depth ("Message too deep").
  parser.SetRecursionLimit(kMaxMessageDepth);
  if (!parser.ParseFromString(std::string(text), message)) {
    message->Clear();
    return absl::InvalidArgumentError(errors.Joined());
  }
  if (absl::Status s = internal::CheckMessageFields(*message); !s.ok()) {
    message->Clear();
    return s;
  }
  return absl::OkStatus();
}

absl::Status ParseJsonProto(absl::string_view text,
                            google::protobuf::Message* message) {
  message->Clear();
  SLUICE_RETURN_IF_ERROR(internal::CheckUtf8Text(text));
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), message,
      options);
  if (!status.ok()) {
    message->Clear();
    return absl::InvalidArgumentError(std::string(status.message()));
  }
  absl::Status checked =
      internal::CheckJsonText(text, message->GetDescriptor());
  if (checked.ok()) checked = internal::CheckMessageFields(*message);
  if (!checked.ok()) {
    message->Clear();
    return checked;
  }
  return absl::OkStatus();
}

absl::Status ParseProto(absl::string_view text, ConfigFormat format,
                        google::protobuf::Message* message) {
  switch (format) {
    case ConfigFormat::kTextProto:
      return ParseTextProto(text, message);
    case ConfigFormat::kJson:
      return ParseJsonProto(text, message);
    case ConfigFormat::kCsv:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(message->GetDescriptor()->full_name(),
                   " cannot be read from CSV; use .textproto or .json"));
}

absl::Status ParseProtoFile(const std::string& path,
                            google::protobuf::Message* message) {
  SLUICE_ASSIGN_OR_RETURN(ConfigFormat format, ConfigFormatFromPath(path));
  SLUICE_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return internal::PrefixStatus(ParseProto(text, format, message), path);
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  std::string out;
  // Printing a valid message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string ToTextProto(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::TextFormat::PrintToString(message, &out);
  return out;
}

}  // namespace sluice
