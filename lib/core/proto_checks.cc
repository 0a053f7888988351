// Copyright 2026 The Sluice Authors.
//
// The checks of parsed config messages (lib/core/proto_checks.h).

#include "lib/core/proto_checks.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.h"
#include "lib/core/field_path.h"
#include "lib/core/utf8.h"

namespace sluice::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// protobuf's Timestamp range (0001-01-01 to 9999-12-31); Duration's is
// IsValidDurationProto's (lib/core/field_path.h).
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

absl::Status At(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

std::string Join(absl::string_view parent, absl::string_view field) {
  return parent.empty() ? std::string(field) : absl::StrCat(parent, ".", field);
}

absl::Status CheckString(const std::string& value, absl::string_view path) {
  std::optional<size_t> bad = FirstInvalidUtf8(value);
  if (!bad.has_value()) return absl::OkStatus();
  return At(path, absl::StrFormat("not valid UTF-8 (byte 0x%02x at offset %d)",
                                  static_cast<uint8_t>(value[*bad]), *bad));
}

absl::Status CheckMessage(const Message& m, const std::string& path, int depth);

absl::Status CheckWellKnown(const Message& m, const std::string& path) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  const FieldDescriptor* seconds = d->FindFieldByName("seconds");
  const FieldDescriptor* nanos = d->FindFieldByName("nanos");
  const int64_t s = r->GetInt64(m, seconds);
  const int32_t n = r->GetInt32(m, nanos);
  if (d->full_name() == "google.protobuf.Duration") {
    if (!IsValidDurationProto(s, n)) {
      return At(path, absl::StrCat("duration out of range (protobuf's "
                                   "Duration is at most 10000 years; got ",
                                   s, " s ", n, " ns)"));
    }
  } else {
    if (s < kMinTimestampSeconds || s > kMaxTimestampSeconds || n < 0 ||
        n >= 1000000000) {
      return At(path, absl::StrCat("timestamp must be within 0001-01-01 and "
                                   "9999-12-31 (got ",
                                   s, " s since 1970)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckValue(const Message& m, const FieldDescriptor* f, int index,
                        const std::string& path, int depth) {
  const Reflection* r = m.GetReflection();
  const bool repeated = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int v = repeated ? r->GetRepeatedEnumValue(m, f, index)
                             : r->GetEnumValue(m, f);
      if (f->enum_type()->FindValueByNumber(v) == nullptr) {
        return At(path, absl::StrCat("unknown value ", v, " of enum ",
                                     f->enum_type()->full_name()));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      if (f->type() != FieldDescriptor::TYPE_STRING) return absl::OkStatus();
      std::string scratch;
      const std::string& v =
          repeated ? r->GetRepeatedStringReference(m, f, index, &scratch)
                   : r->GetStringReference(m, f, &scratch);
      return CheckString(v, path);
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& child =
          repeated ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      return CheckMessage(child, path, depth + 1);
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status CheckMessage(const Message& m, const std::string& path,
                          int depth) {
  if (depth > 200) return At(path, "nested too deeply");
  const Descriptor* d = m.GetDescriptor();
  if (d->full_name() == "google.protobuf.Duration" ||
      d->full_name() == "google.protobuf.Timestamp") {
    return CheckWellKnown(m, path);
  }
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string fpath = Join(path, f->name());
    if (f->is_map()) {
      const FieldDescriptor* key = f->message_type()->map_key();
      const FieldDescriptor* value = f->message_type()->map_value();
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        const Message& entry = r->GetRepeatedMessage(m, f, i);
        const Reflection* er = entry.GetReflection();
        std::string key_text;
        if (key->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          key_text = er->GetString(entry, key);
          if (absl::Status s =
                  CheckString(key_text, absl::StrCat(fpath, " key"));
              !s.ok()) {
            return s;
          }
        } else {
          key_text = absl::StrCat(i);
        }
        const std::string vpath = absl::StrCat(
            fpath, "[\"", FirstInvalidUtf8(key_text) ? "?" : key_text, "\"]");
        if (absl::Status s = CheckValue(entry, value, -1, vpath, depth);
            !s.ok()) {
          return s;
        }
      }
      continue;
    }
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (absl::Status s =
                CheckValue(m, f, i, absl::StrCat(fpath, "[", i, "]"), depth);
            !s.ok()) {
          return s;
        }
      }
    } else if (absl::Status s = CheckValue(m, f, -1, fpath, depth); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// --- JSON

class JsonChecker {
 public:
  explicit JsonChecker(absl::string_view text) : s_(text) {}

  // `message`: the object is this message (or null: untyped). `field`: the
  // value is of this field (or null). `element`: inside the field's array.
  absl::Status Value(const Descriptor* message, const FieldDescriptor* field,
                     bool element, const std::string& path, int depth) {
    if (depth > 200) return absl::OkStatus();
    Skip();
    if (i_ >= s_.size()) return absl::OkStatus();
    const char c = s_[i_];
    if (field != nullptr && field->is_repeated() && !field->is_map() &&
        !element && c == '[') {
      ++i_;
      int index = 0;
      Skip();
      if (Peek(']')) return absl::OkStatus();
      while (i_ < s_.size()) {
        if (absl::Status st =
                Value(nullptr, field, true,
                      absl::StrCat(path, "[", index++, "]"), depth + 1);
            !st.ok()) {
          return st;
        }
        Skip();
        if (Peek(',')) continue;
        if (Peek(']')) break;
        return absl::OkStatus();  // malformed: protobuf reported it
      }
      return absl::OkStatus();
    }
    if (c == '{') {
      const Descriptor* object = message;
      const FieldDescriptor* map_value = nullptr;
      if (field != nullptr) {
        object = nullptr;
        if (field->is_map()) {
          map_value = field->message_type()->map_value();
        } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                   field->message_type()->file()->package() !=
                       "google.protobuf") {
          object = field->message_type();
        }
      }
      return Object(object, map_value, path, depth);
    }
    if (c == '[') {  // an untyped array
      ++i_;
      Skip();
      if (Peek(']')) return absl::OkStatus();
      while (i_ < s_.size()) {
        if (absl::Status st = Value(nullptr, nullptr, false, path, depth + 1);
            !st.ok()) {
          return st;
        }
        Skip();
        if (Peek(',')) continue;
        if (Peek(']')) break;
        return absl::OkStatus();
      }
      return absl::OkStatus();
    }
    if (c == '"') {
      String();
      if (field != nullptr &&
          field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) {
        return At(path, "a string where true or false is expected");
      }
      return absl::OkStatus();
    }
    // A number, true, false or null.
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' &&
           !IsSpace(s_[i_])) {
      ++i_;
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Object(const Descriptor* message,
                      const FieldDescriptor* map_value, const std::string& path,
                      int depth) {
    ++i_;  // '{'
    std::set<std::string> keys;
    Skip();
    if (Peek('}')) return absl::OkStatus();
    while (i_ < s_.size()) {
      Skip();
      if (i_ >= s_.size() || s_[i_] != '"') return absl::OkStatus();
      const std::string key = String();
      if (!keys.insert(key).second) {
        return At(path.empty() ? "(top level)" : path,
                  absl::StrCat("duplicate key \"", key, "\""));
      }
      Skip();
      if (!Peek(':')) return absl::OkStatus();
      const FieldDescriptor* field = map_value;
      std::string child;
      if (map_value != nullptr) {
        child = absl::StrCat(path, "[\"", key, "\"]");
      } else {
        field = message == nullptr ? nullptr : FindField(message, key);
        child = Join(path, field == nullptr ? key : field->name());
      }
      if (absl::Status st = Value(nullptr, field, false, child, depth + 1);
          !st.ok()) {
        return st;
      }
      Skip();
      if (Peek(',')) continue;
      if (Peek('}')) break;
      return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  static const FieldDescriptor* FindField(const Descriptor* d,
                                          const std::string& key) {
    for (int k = 0; k < d->field_count(); ++k) {
      const FieldDescriptor* f = d->field(k);
      if (f->name() == key || f->json_name() == key) return f;
    }
    return nullptr;
  }

  // Reads a string token (at '"'); returns its raw contents (escapes kept,
  // which is enough to compare keys: protobuf rejects odd escapes).
  std::string String() {
    ++i_;
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) out.push_back(s_[i_++]);
      out.push_back(s_[i_++]);
    }
    ++i_;
    return out;
  }

  static bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
  void Skip() {
    while (i_ < s_.size() && IsSpace(s_[i_])) ++i_;
  }
  bool Peek(char c) {
    Skip();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  absl::string_view s_;
  size_t i_ = 0;
};

}  // namespace

absl::Status CheckMessageFields(const Message& message) {
  return CheckMessage(message, "", 0);
}

absl::Status CheckJsonText(absl::string_view json,
                           const Descriptor* descriptor) {
  JsonChecker checker(json);
  return checker.Value(descriptor, nullptr, false, "", 0);
}

}  // namespace sluice::internal
