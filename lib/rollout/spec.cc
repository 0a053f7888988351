// Copyright 2026 The Sluice Authors.

#include "sluice/spec.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/spec_data.h"
#include "lib/rollout/spec_validation.h"
#include "sluice/proto_io.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice {
namespace {

constexpr size_t kMaxNameLength = 200;

absl::Status ValidateCore(const v1::RolloutSpec& proto) {
  using internal::FieldPath;
  if (proto.name().empty()) {
    return FieldPath("name").Invalid(internal::kMustNotBeEmpty);
  }
  if (proto.name().size() > kMaxNameLength) {
    return FieldPath("name").Invalid(
        absl::StrCat("must be at most ", kMaxNameLength, " characters (got ",
                     proto.name().size(), ")"));
  }
  if (proto.version().empty()) {
    return FieldPath("version").Invalid(internal::kMustNotBeEmpty);
  }
  if (!proto.previous_version().empty() &&
      proto.previous_version() == proto.version()) {
    return FieldPath("previous_version")
        .Invalid(absl::StrCat("must differ from version (both \"",
                              proto.version(), "\")"));
  }
  for (const auto& [key, value] : proto.labels()) {
    if (key.empty()) {
      return FieldPath("labels").Invalid("keys must not be empty");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RolloutSpec> RolloutSpec::FromProto(
    const v1::RolloutSpec& proto) {
  SLUICE_RETURN_IF_ERROR(ValidateCore(proto));
  auto data = std::make_shared<internal::SpecData>();
  data->name = proto.name();
  data->service = proto.service();
  data->version = proto.version();
  data->previous_version = proto.previous_version();
  data->description = proto.description();
  data->labels.insert(proto.labels().begin(), proto.labels().end());
  SLUICE_RETURN_IF_ERROR(internal::ConvertSpecParts(proto, *data));
  return RolloutSpec(std::move(data));
}

absl::StatusOr<RolloutSpec> RolloutSpec::Parse(absl::string_view text,
                                               SpecFormat format) {
  v1::RolloutSpec proto;
  SLUICE_RETURN_IF_ERROR(ParseProto(text,
                                    format == SpecFormat::kJson
                                        ? ConfigFormat::kJson
                                        : ConfigFormat::kTextProto,
                                    &proto));
  return FromProto(proto);
}

absl::StatusOr<RolloutSpec> RolloutSpec::LoadFile(const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(ConfigFormat format, ConfigFormatFromPath(path));
  if (format == ConfigFormat::kCsv) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": a spec is text format (.textproto) or JSON (.json), not CSV"));
  }
  SLUICE_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  absl::StatusOr<RolloutSpec> spec =
      Parse(text, format == ConfigFormat::kJson ? SpecFormat::kJson
                                                : SpecFormat::kTextProto);
  if (!spec.ok()) return internal::PrefixStatus(spec.status(), path);
  return spec;
}

absl::Status RolloutSpec::ValidateAgainst(const Fleet& fleet) const {
  return internal::ValidateSpecPartsAgainst(*data_, fleet);
}

RolloutSpec::RolloutSpec(std::shared_ptr<const internal::SpecData> data)
    : data_(std::move(data)) {}

const std::string& RolloutSpec::name() const { return data_->name; }
const std::string& RolloutSpec::service() const { return data_->service; }
const std::string& RolloutSpec::version() const { return data_->version; }
const std::string& RolloutSpec::previous_version() const {
  return data_->previous_version;
}
const std::string& RolloutSpec::description() const {
  return data_->description;
}
const std::map<std::string, std::string>& RolloutSpec::labels() const {
  return data_->labels;
}
const std::vector<std::string>& RolloutSpec::metric_names() const {
  return data_->metric_names;
}

v1::RolloutSpec RolloutSpec::ToProto() const {
  v1::RolloutSpec out;
  out.set_name(data_->name);
  out.set_service(data_->service);
  out.set_version(data_->version);
  out.set_previous_version(data_->previous_version);
  out.set_description(data_->description);
  out.mutable_labels()->insert(data_->labels.begin(), data_->labels.end());
  internal::SpecPartsToProto(*data_, out);
  return out;
}

namespace internal {
const SpecData& DataOf(const RolloutSpec& spec) { return *spec.data_; }
}  // namespace internal

std::string RolloutSpec::Summary() const {
  std::string out = absl::StrCat(name(), ": ");
  if (!service().empty()) absl::StrAppend(&out, service(), " ");
  absl::StrAppend(&out, version());
  if (!previous_version().empty()) {
    absl::StrAppend(&out, " (rollback to ", previous_version(), ")");
  }
  for (const std::string& part : internal::SummarizeSpecParts(*data_)) {
    absl::StrAppend(&out, "; ", part);
  }
  return out;
}

}  // namespace sluice
