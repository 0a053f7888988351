// Copyright 2026 The Sluice Authors.
//
// PromQL templates: escaping, placeholder expansion, alert selectors.

#include <cmath>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "lib/core/status_macros.h"
#include "sluice/prometheus/prometheus.h"

namespace sluice::prometheus {

using internal::InvalidArgumentAt;

std::string EscapeRegex(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (absl::string_view("\\.+*?()|[]{}^$").find(c) !=
        absl::string_view::npos) {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

std::string EscapePromQLString(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string TargetsRegex(absl::Span<const std::string> values) {
  if (values.empty()) return ".*";
  std::vector<std::string> escaped;
  escaped.reserve(values.size());
  for (const std::string& v : values) escaped.push_back(EscapeRegex(v));
  return absl::StrJoin(escaped, "|");
}

namespace {

// The PromQL duration of `d`: whole seconds, rounded up, at least 1.
int64_t WindowSeconds(absl::Duration d) {
  int64_t s = absl::ToInt64Seconds(absl::Ceil(d, absl::Seconds(1)));
  return s < 1 ? 1 : s;
}

// Expands (values != nullptr) or only checks (values == nullptr) `tmpl`.
absl::StatusOr<std::string> Expand(absl::string_view tmpl,
                                   const TemplateValues* values,
                                   absl::string_view field) {
  if (absl::StripAsciiWhitespace(tmpl).empty())
    return InvalidArgumentAt(field, "must not be empty");
  std::string out;
  size_t pos = 0;
  while (pos < tmpl.size()) {
    const size_t open = tmpl.find("{{", pos);
    if (open == absl::string_view::npos) {
      absl::StrAppend(&out, tmpl.substr(pos));
      break;
    }
    absl::StrAppend(&out, tmpl.substr(pos, open - pos));
    const size_t close = tmpl.find("}}", open + 2);
    if (close == absl::string_view::npos) {
      return InvalidArgumentAt(field,
                               absl::StrCat("unclosed \"{{\" at offset ", open,
                                            " (placeholders are {{name}})"));
    }
    const absl::string_view name =
        absl::StripAsciiWhitespace(tmpl.substr(open + 2, close - open - 2));
    std::string value;
    if (name == "targets_regex") {
      if (values != nullptr)
        value = EscapePromQLString(TargetsRegex(values->targets));
    } else if (name == "window") {
      if (values != nullptr)
        value = absl::StrCat(WindowSeconds(values->window), "s");
    } else if (name == "window_seconds") {
      if (values != nullptr)
        value = absl::StrCat(WindowSeconds(values->window));
    } else if (name == "cohort") {
      if (values != nullptr)
        value = EscapePromQLString(CohortName(values->cohort));
    } else if (name == "stage") {
      if (values != nullptr) value = EscapePromQLString(values->stage);
    } else if (name == "wave") {
      if (values != nullptr) value = absl::StrCat(values->wave_index);
    } else if (name == "metric") {
      if (values != nullptr) value = EscapePromQLString(values->metric);
    } else if (absl::StartsWith(name, "param.") && name.size() > 6) {
      if (values != nullptr) {
        const std::string key(name.substr(6));
        auto it = values->params.find(key);
        if (it == values->params.end()) {
          return InvalidArgumentAt(field, absl::StrCat("placeholder {{", name,
                                                       "}}: the metric has "
                                                       "no param \"",
                                                       key, "\""));
        }
        value = EscapePromQLString(it->second);
      }
    } else {
      return InvalidArgumentAt(
          field,
          absl::StrCat("unknown placeholder {{", name,
                       "}} (known: targets_regex, window, window_seconds, "
                       "cohort, stage, wave, metric, param.NAME)"));
    }
    out += value;
    pos = close + 2;
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> ExpandTemplate(absl::string_view tmpl,
                                           const TemplateValues& values,
                                           absl::string_view field) {
  return Expand(tmpl, &values, field);
}

absl::Status ValidateTemplate(absl::string_view tmpl, absl::string_view field) {
  return Expand(tmpl, nullptr, field).status();
}

namespace {

bool IsLabelStart(char c) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsLabelChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

absl::StatusOr<AlertSelector> ParseAlertSelector(
    absl::string_view text, absl::Span<const std::string> targets,
    absl::string_view field) {
  TemplateValues values;
  values.targets.assign(targets.begin(), targets.end());
  SLUICE_ASSIGN_OR_RETURN(std::string expanded,
                          ExpandTemplate(text, values, field));
  const absl::string_view s = expanded;
  size_t i = 0;
  auto fail = [&](absl::string_view what) {
    return InvalidArgumentAt(
        field, absl::StrCat(what, " at offset ", i, " of \"", s,
                            "\" (want Name or Name{label=\"value\", ...})"));
  };
  auto skip_space = [&] {
    while (i < s.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(s[i])))
      ++i;
  };
  skip_space();
  AlertSelector out;
  const size_t name_start = i;
  while (i < s.size() && (IsLabelChar(s[i]) || s[i] == ':')) ++i;
  out.alertname = std::string(s.substr(name_start, i - name_start));
  if (out.alertname.empty()) return fail("an alert name is needed");
  skip_space();
  if (i == s.size()) return out;
  if (s[i] != '{') return fail("unexpected character");
  ++i;
  while (true) {
    skip_space();
    if (i < s.size() && s[i] == '}') {
      ++i;
      break;
    }
    if (i >= s.size() || !IsLabelStart(s[i]))
      return fail("a label name is needed");
    AlertMatcher m;
    const size_t label_start = i;
    while (i < s.size() && IsLabelChar(s[i])) ++i;
    m.label = std::string(s.substr(label_start, i - label_start));
    skip_space();
    if (s.substr(i, 2) == "=~") {
      m.op = AlertMatcher::Op::kRegex;
      i += 2;
    } else if (s.substr(i, 2) == "!~") {
      m.op = AlertMatcher::Op::kNotRegex;
      i += 2;
    } else if (s.substr(i, 2) == "!=") {
      m.op = AlertMatcher::Op::kNotEqual;
      i += 2;
    } else if (s.substr(i, 1) == "=") {
      m.op = AlertMatcher::Op::kEqual;
      i += 1;
    } else {
      return fail("an operator (=, !=, =~, !~) is needed");
    }
    skip_space();
    if (i >= s.size() || s[i] != '"')
      return fail("a \"quoted\" value is needed");
    ++i;
    bool closed = false;
    while (i < s.size()) {
      const char c = s[i++];
      if (c == '"') {
        closed = true;
        break;
      }
      if (c == '\\') {
        if (i >= s.size()) break;
        const char e = s[i++];
        switch (e) {
          case 'n':
            m.value.push_back('\n');
            break;
          case 'r':
            m.value.push_back('\r');
            break;
          case 't':
            m.value.push_back('\t');
            break;
          case '\\':
          case '"':
          case '\'':
            m.value.push_back(e);
            break;
          default:
            return fail(absl::StrCat("unknown escape \\", std::string(1, e)));
        }
      } else {
        m.value.push_back(c);
      }
    }
    if (!closed) return fail("unterminated string");
    if (m.op == AlertMatcher::Op::kRegex ||
        m.op == AlertMatcher::Op::kNotRegex) {
      try {
        std::regex check(m.value);
        (void)check;
      } catch (const std::regex_error& e) {
        return fail(
            absl::StrCat("bad regex \"", m.value, "\" (", e.what(), ")"));
      }
    }
    out.matchers.push_back(std::move(m));
    skip_space();
    if (i < s.size() && s[i] == ',') {
      ++i;
      continue;
    }
    if (i < s.size() && s[i] == '}') {
      ++i;
      break;
    }
    return fail("',' or '}' is needed");
  }
  skip_space();
  if (i != s.size()) return fail("unexpected text after '}'");
  return out;
}

absl::StatusOr<bool> AlertMatches(
    const AlertSelector& selector,
    const std::map<std::string, std::string>& labels) {
  auto value_of = [&](const std::string& label) -> std::string {
    auto it = labels.find(label);
    return it == labels.end() ? "" : it->second;
  };
  if (value_of("alertname") != selector.alertname) return false;
  for (const AlertMatcher& m : selector.matchers) {
    const std::string v = value_of(m.label);
    bool ok = false;
    switch (m.op) {
      case AlertMatcher::Op::kEqual:
        ok = v == m.value;
        break;
      case AlertMatcher::Op::kNotEqual:
        ok = v != m.value;
        break;
      case AlertMatcher::Op::kRegex:
      case AlertMatcher::Op::kNotRegex: {
        bool match = false;
        try {
          match = std::regex_match(v, std::regex(m.value));
        } catch (const std::regex_error& e) {
          return absl::InvalidArgumentError(
              absl::StrCat("matcher ", m.label, ": bad regex \"", m.value,
                           "\" (", e.what(), ")"));
        }
        ok = (m.op == AlertMatcher::Op::kRegex) == match;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace sluice::prometheus
