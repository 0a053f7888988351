// Copyright 2026 The Sluice Authors.
//
// HTTP for the Prometheus adapters: libcurl's transport (never hand-written
// HTTP), URLs built with libcurl's URL API, and bounded retries.

#include "lib/prometheus/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "lib/core/status_macros.h"

namespace sluice::prometheus {

namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

class CurlTransport : public HttpTransport {
 public:
  absl::StatusOr<HttpResponse> Fetch(const std::string& url,
                                     const std::string& post_body,
                                     const std::string& content_type,
                                     absl::Duration timeout) override {
    InitCurlOnce();
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(),
                                                curl_easy_cleanup);
    if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
    HttpResponse response;
    char error[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::max<int64_t>(
                         1, absl::ToInt64Milliseconds(timeout))));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(
        nullptr, curl_slist_free_all);
    if (!post_body.empty()) {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body.c_str());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
                       static_cast<long>(post_body.size()));
      headers.reset(curl_slist_append(
          nullptr, absl::StrCat("Content-Type: ", content_type).c_str()));
      curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    }
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
      const std::string what =
          absl::StrCat(post_body.empty() ? "GET " : "POST ", url, ": ",
                       error[0] != '\0' ? error : curl_easy_strerror(rc));
      switch (rc) {
        case CURLE_OPERATION_TIMEDOUT:
          return absl::DeadlineExceededError(what);
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
          return absl::InvalidArgumentError(what);
        default:
          return absl::UnavailableError(what);
      }
    }
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    response.status_code = static_cast<int>(code);
    return response;
  }
};

}  // namespace

std::shared_ptr<HttpTransport> NewCurlTransport() {
  return std::make_shared<CurlTransport>();
}

}  // namespace sluice::prometheus

namespace sluice::internal {

namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlFree {
  void operator()(char* p) const { curl_free(p); }
};

}  // namespace

absl::StatusOr<std::string> ApiUrl(
    const std::string& base, const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& params) {
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (u == nullptr) return absl::InternalError("curl_url failed");
  if (CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, base.c_str(), 0);
      rc != CURLUE_OK) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", base, "\" is not a URL (", curl_url_strerror(rc), ")"));
  }
  char* raw = nullptr;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &raw, 0) != CURLUE_OK) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", base, "\" has no scheme"));
  }
  std::unique_ptr<char, CurlFree> scheme(raw);
  if (absl::string_view(scheme.get()) != "http" &&
      absl::string_view(scheme.get()) != "https") {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", base, "\": the scheme must be http or https (got ",
                     scheme.get(), ")"));
  }
  raw = nullptr;
  if (curl_url_get(u.get(), CURLUPART_HOST, &raw, 0) != CURLUE_OK) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", base, "\" has no host"));
  }
  std::unique_ptr<char, CurlFree> host(raw);
  raw = nullptr;
  if (curl_url_get(u.get(), CURLUPART_QUERY, &raw, 0) == CURLUE_OK) {
    std::unique_ptr<char, CurlFree> query(raw);
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", base, "\" must not have a query (?", query.get(), ")"));
  }
  raw = nullptr;
  std::string full_path;
  if (curl_url_get(u.get(), CURLUPART_PATH, &raw, 0) == CURLUE_OK) {
    std::unique_ptr<char, CurlFree> p(raw);
    full_path = std::string(absl::StripSuffix(p.get(), "/"));
  }
  full_path += path;
  curl_url_set(u.get(), CURLUPART_PATH, full_path.c_str(), 0);
  for (const auto& [key, value] : params) {
    // CURLU_URLENCODE encodes the value part after the first '='.
    const std::string pair = absl::StrCat(key, "=", value);
    if (curl_url_set(u.get(), CURLUPART_QUERY, pair.c_str(),
                     CURLU_APPENDQUERY | CURLU_URLENCODE) != CURLUE_OK) {
      return absl::InternalError(
          absl::StrCat("cannot add ", key, " to ", base));
    }
  }
  raw = nullptr;
  if (curl_url_get(u.get(), CURLUPART_URL, &raw, 0) != CURLUE_OK)
    return absl::InternalError(absl::StrCat("cannot build a URL from ", base));
  std::unique_ptr<char, CurlFree> url(raw);
  return std::string(url.get());
}

absl::StatusOr<std::string> FormBody(
    const std::vector<std::pair<std::string, std::string>>& params) {
  SLUICE_ASSIGN_OR_RETURN(std::string url,
                          ApiUrl("http://localhost", "/", params));
  const size_t q = url.find('?');
  return q == std::string::npos ? std::string() : url.substr(q + 1);
}

absl::Status PrepareOptions(prometheus::PrometheusOptions& options) {
  if (options.url.empty()) return InvalidArgumentAt("url", "must not be empty");
  if (absl::StatusOr<std::string> u = ApiUrl(options.url, "/", {}); !u.ok())
    return InvalidArgumentAt("url", u.status().message());
  if (options.timeout <= absl::ZeroDuration()) {
    return InvalidArgumentAt(
        "timeout", absl::StrCat("must be > 0 (got ",
                                absl::FormatDuration(options.timeout), ")"));
  }
  const prometheus::RetryOptions& r = options.retry;
  if (r.max_attempts < 1 || r.max_attempts > 100) {
    return InvalidArgumentAt(
        "retry.max_attempts",
        absl::StrCat("must be in [1, 100] (got ", r.max_attempts, ")"));
  }
  if (r.initial_backoff < absl::ZeroDuration()) {
    return InvalidArgumentAt(
        "retry.initial_backoff",
        absl::StrCat("must be >= 0 (got ",
                     absl::FormatDuration(r.initial_backoff), ")"));
  }
  if (!(r.multiplier >= 1) || std::isinf(r.multiplier)) {
    return InvalidArgumentAt(
        "retry.multiplier",
        absl::StrCat("must be finite and >= 1 (got ", r.multiplier, ")"));
  }
  if (r.max_backoff < r.initial_backoff) {
    return InvalidArgumentAt(
        "retry.max_backoff",
        absl::StrCat("must be >= retry.initial_backoff (got ",
                     absl::FormatDuration(r.max_backoff), " < ",
                     absl::FormatDuration(r.initial_backoff), ")"));
  }
  if (options.step <= absl::ZeroDuration()) {
    return InvalidArgumentAt(
        "step", absl::StrCat("must be > 0 (got ",
                             absl::FormatDuration(options.step), ")"));
  }
  if (options.staleness <= absl::ZeroDuration()) {
    return InvalidArgumentAt(
        "staleness",
        absl::StrCat("must be > 0 (got ",
                     absl::FormatDuration(options.staleness), ")"));
  }
  if (!options.target_label) {
    options.target_label = [](absl::string_view id) { return std::string(id); };
  }
  if (!options.sleep)
    options.sleep = [](absl::Duration d) { absl::SleepFor(d); };
  if (options.transport == nullptr)
    options.transport = prometheus::NewCurlTransport();
  return absl::OkStatus();
}

absl::StatusOr<prometheus::HttpResponse> FetchWithRetry(
    const prometheus::PrometheusOptions& options, const std::string& url,
    const std::string& post_body, const std::string& content_type) {
  absl::Duration pause = options.retry.initial_backoff;
  absl::StatusOr<prometheus::HttpResponse> last;
  for (int attempt = 1;; ++attempt) {
    last =
        options.transport->Fetch(url, post_body, content_type, options.timeout);
    bool transient;
    if (!last.ok()) {
      transient = last.status().code() == absl::StatusCode::kUnavailable ||
                  last.status().code() == absl::StatusCode::kDeadlineExceeded;
    } else {
      transient = last->status_code >= 500 || last->status_code == 429;
    }
    if (!transient) return last;
    if (attempt >= options.retry.max_attempts) break;
    options.sleep(pause);
    pause =
        std::min(options.retry.max_backoff, pause * options.retry.multiplier);
  }
  if (!last.ok()) {
    return absl::Status(
        last.status().code(),
        absl::StrCat(
            last.status().message(), " (", options.retry.max_attempts,
            options.retry.max_attempts == 1 ? " attempt)" : " attempts)"));
  }
  return last;
}

}  // namespace sluice::internal
