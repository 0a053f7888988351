// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_quantiles.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/stats/boundaries.h"

namespace sluice::stats {

absl::string_view QuantileBoundaryName(QuantileBoundary boundary) {
  switch (boundary) {
    case QuantileBoundary::kBetaBinomial:
      return "beta_binomial";
    case QuantileBoundary::kStitched:
      return "stitched";
  }
  return "unknown";
}

absl::Status SequentialQuantileOptions::Validate() const {
  if (!(quantile > 0 && quantile < 1)) {
    return internal::InvalidArgumentAt(
        "quantile", absl::StrCat("must be in (0, 1) (got ", quantile, ")"));
  }
  if (!(alpha > 0 && alpha < 1)) {
    return internal::InvalidArgumentAt(
        "alpha", absl::StrCat("must be in (0, 1) (got ", alpha, ")"));
  }
  if (!(tuning_observations >= 1) || !std::isfinite(tuning_observations)) {
    return internal::InvalidArgumentAt(
        "tuning_observations", absl::StrCat("must be finite and >= 1 (got ",
                                            tuning_observations, ")"));
  }
  return absl::OkStatus();
}

std::ostream& operator<<(std::ostream& os, const SequentialQuantileOptions& o) {
  return os << "{quantile: " << o.quantile << ", alpha: " << o.alpha
            << ", tuning_observations: " << o.tuning_observations
            << ", alternative: " << o.alternative
            << ", arm_boundary: " << QuantileBoundaryName(o.arm_boundary)
            << "}";
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMaxCount = 9007199254740992.0;  // 2^53

template <typename Arm>
int64_t CountLeq(const Arm& arm, double x) {
  const size_t i = std::upper_bound(arm.values.begin(), arm.values.end(), x) -
                   arm.values.begin();
  return i == 0 ? 0 : arm.cumulative[i - 1];
}

template <typename Arm>
int64_t CountLess(const Arm& arm, double x) {
  const size_t i = std::lower_bound(arm.values.begin(), arm.values.end(), x) -
                   arm.values.begin();
  return i == 0 ? 0 : arm.cumulative[i - 1];
}

// The k-th smallest value, k in [1, n] (clamped).
template <typename Arm>
double OrderStatistic(const Arm& arm, int64_t k) {
  k = std::clamp<int64_t>(k, 1, arm.n);
  const size_t i =
      std::lower_bound(arm.cumulative.begin(), arm.cumulative.end(), k) -
      arm.cumulative.begin();
  return arm.values[i];
}

// min over j in [lo, hi] of a(j) + b(j) for a non-decreasing and b
// non-increasing in j, by branch and bound (a range's values are at least
// a(its start) + b(its end)); never below `best`'s answer.
double MinOfMonotoneSum(int64_t lo, int64_t hi,
                        absl::FunctionRef<double(int64_t)> a,
                        absl::FunctionRef<double(int64_t)> b, double best) {
  if (lo > hi) return best;
  struct Range {
    int64_t lo, hi;
    double a_lo, b_hi;
  };
  const double a_lo = a(lo), b_lo = b(lo);
  best = std::min(best, a_lo + b_lo);
  if (lo == hi) return best;
  const double a_hi = a(hi), b_hi = b(hi);
  best = std::min(best, a_hi + b_hi);
  std::vector<Range> stack = {{lo, hi, a_lo, b_hi}};
  while (!stack.empty()) {
    const Range r = stack.back();
    stack.pop_back();
    if (r.hi - r.lo <= 1 || r.a_lo + r.b_hi >= best) continue;
    const int64_t mid = r.lo + (r.hi - r.lo) / 2;
    const double a_mid = a(mid), b_mid = b(mid);
    best = std::min(best, a_mid + b_mid);
    stack.push_back({r.lo, mid, r.a_lo, b_mid});
    stack.push_back({mid, r.hi, a_mid, r.b_hi});
  }
  return best;
}

}  // namespace

SequentialQuantileTest::SequentialQuantileTest(
    const SequentialQuantileOptions& options)
    : options_(options) {}

absl::StatusOr<SequentialQuantileTest> SequentialQuantileTest::Create(
    const SequentialQuantileOptions& options) {
  SLUICE_RETURN_IF_ERROR(options.Validate());
  return SequentialQuantileTest(options);
}

void SequentialQuantileTest::Merge(Arm& arm, std::vector<double> sorted_values,
                                   std::vector<int64_t> counts) {
  std::vector<double> values;
  std::vector<int64_t> merged_counts;
  values.reserve(arm.values.size() + sorted_values.size());
  merged_counts.reserve(values.capacity());
  size_t i = 0, j = 0;
  while (i < arm.values.size() || j < sorted_values.size()) {
    double v;
    int64_t c = 0;
    if (j == sorted_values.size() ||
        (i < arm.values.size() && arm.values[i] <= sorted_values[j])) {
      v = arm.values[i];
    } else {
      v = sorted_values[j];
    }
    while (i < arm.values.size() && arm.values[i] == v) c += arm.counts[i++];
    while (j < sorted_values.size() && sorted_values[j] == v) c += counts[j++];
    values.push_back(v + 0.0);  // -0.0 and +0.0 tie
    merged_counts.push_back(c);
  }
  arm.values = std::move(values);
  arm.counts = std::move(merged_counts);
  arm.cumulative.resize(arm.counts.size());
  int64_t total = 0;
  for (size_t k = 0; k < arm.counts.size(); ++k) {
    total += arm.counts[k];
    arm.cumulative[k] = total;
  }
  arm.n = total;
}

void SequentialQuantileTest::InsertOne(Arm& arm, double value) {
  value += 0.0;  // -0.0 and +0.0 tie
  const size_t i =
      std::lower_bound(arm.values.begin(), arm.values.end(), value) -
      arm.values.begin();
  if (i == arm.values.size() || arm.values[i] != value) {
    arm.values.insert(arm.values.begin() + i, value);
    arm.counts.insert(arm.counts.begin() + i, 0);
    arm.cumulative.insert(arm.cumulative.begin() + i,
                          i == 0 ? 0 : arm.cumulative[i - 1]);
  }
  ++arm.counts[i];
  for (size_t k = i; k < arm.cumulative.size(); ++k) ++arm.cumulative[k];
  ++arm.n;
}

absl::Status SequentialQuantileTest::AddCanary(double value) {
  if (std::isnan(value)) {
    return internal::InvalidArgumentAt("value", "must not be NaN");
  }
  InsertOne(canary_, value);
  Look();
  return absl::OkStatus();
}

absl::Status SequentialQuantileTest::AddBaseline(double value) {
  if (std::isnan(value)) {
    return internal::InvalidArgumentAt("value", "must not be NaN");
  }
  InsertOne(baseline_, value);
  Look();
  return absl::OkStatus();
}

namespace {

absl::Status SortedBatch(absl::Span<const double> values,
                         std::vector<double>* sorted) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) {
      return internal::FieldPath("values")
          .Index(static_cast<int>(i))
          .Invalid("must not be NaN");
    }
  }
  sorted->assign(values.begin(), values.end());
  std::sort(sorted->begin(), sorted->end());
  return absl::OkStatus();
}

absl::Status HistogramBatch(const Histogram& histogram,
                            std::vector<double>* values,
                            std::vector<int64_t>* counts) {
  SLUICE_RETURN_IF_ERROR(
      internal::NestStatus(histogram.Validate(), "histogram"));
  const std::vector<uint64_t> buckets = histogram.BucketCounts();
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (buckets[i] == 0) continue;
    values->push_back(histogram.upper_bounds[i]);
    counts->push_back(static_cast<int64_t>(buckets[i]));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SequentialQuantileTest::AddCanaryValues(
    absl::Span<const double> values) {
  std::vector<double> sorted;
  SLUICE_RETURN_IF_ERROR(SortedBatch(values, &sorted));
  std::vector<int64_t> ones(sorted.size(), 1);
  Merge(canary_, std::move(sorted), std::move(ones));
  Look();
  return absl::OkStatus();
}

absl::Status SequentialQuantileTest::AddBaselineValues(
    absl::Span<const double> values) {
  std::vector<double> sorted;
  SLUICE_RETURN_IF_ERROR(SortedBatch(values, &sorted));
  std::vector<int64_t> ones(sorted.size(), 1);
  Merge(baseline_, std::move(sorted), std::move(ones));
  Look();
  return absl::OkStatus();
}

absl::Status SequentialQuantileTest::AddCanaryHistogram(
    const Histogram& histogram) {
  std::vector<double> values;
  std::vector<int64_t> counts;
  SLUICE_RETURN_IF_ERROR(HistogramBatch(histogram, &values, &counts));
  if (static_cast<double>(canary_.n) + static_cast<double>(histogram.total()) >
      kMaxCount) {
    return internal::InvalidArgumentAt("histogram",
                                       "the arm would exceed 2^53 values");
  }
  Merge(canary_, std::move(values), std::move(counts));
  Look();
  return absl::OkStatus();
}

absl::Status SequentialQuantileTest::AddBaselineHistogram(
    const Histogram& histogram) {
  std::vector<double> values;
  std::vector<int64_t> counts;
  SLUICE_RETURN_IF_ERROR(HistogramBatch(histogram, &values, &counts));
  if (static_cast<double>(baseline_.n) +
          static_cast<double>(histogram.total()) >
      kMaxCount) {
    return internal::InvalidArgumentAt("histogram",
                                       "the arm would exceed 2^53 values");
  }
  Merge(baseline_, std::move(values), std::move(counts));
  Look();
  return absl::OkStatus();
}

void SequentialQuantileTest::Look() {
  if (canary_.n == 0 || baseline_.n == 0) return;
  log_e_ = LowerBound();
  max_log_e_ = std::max(max_log_e_, log_e_);
}

double SequentialQuantileTest::LowerBound() const {
  const double p = options_.quantile;
  const double v_opt = options_.tuning_observations * p * (1 - p);
  const double alpha = options_.alpha;

  if (options_.alternative != Alternative::kTwoSided) {
    // One-sided: the "up" arm's quantile is claimed higher. Its mixture grows
    // when fewer than p of its values are at or below x; the "down" arm's
    // when more than p of its values are below x. Over the sorted union of
    // both arms' values (and x below them all), the up arm's term is
    // non-increasing and the down arm's non-decreasing.
    const bool canary_up = options_.alternative == Alternative::kGreater;
    const Arm& up = canary_up ? canary_ : baseline_;
    const Arm& down = canary_up ? baseline_ : canary_;
    const internal::BetaBinomialMixture up_mixture(v_opt, alpha, 1 - p, p,
                                                   /*one_sided=*/true);
    const internal::BetaBinomialMixture down_mixture(v_opt, alpha, p, 1 - p,
                                                     /*one_sided=*/true);
    const double nu = static_cast<double>(up.n);
    const double nd = static_cast<double>(down.n);
    // At x: the down arm's term (non-decreasing in x) and the up arm's
    // (non-increasing). x = -inf (below every value) has both counts 0.
    auto down_term = [&](double x) {
      const double below = static_cast<double>(CountLess(down, x));
      return down_mixture.LogValue(below - p * nd, p * (1 - p) * nd);
    };
    auto up_term = [&](double x) {
      const double below = static_cast<double>(CountLeq(up, x));
      return up_mixture.LogValue(p * nu - below, p * (1 - p) * nu);
    };
    // The sum changes only at the arms' values, so its infimum is its
    // minimum over x = -inf and every value of either arm; each arm's values
    // are searched on their own (the terms are monotone over any sorted
    // set of x), seeded with the arms' sample quantiles.
    double best = down_term(-kInf) + up_term(-kInf);
    for (const Arm* arm : {&up, &down}) {
      const double q = OrderStatistic(
          *arm,
          static_cast<int64_t>(std::ceil(p * static_cast<double>(arm->n))));
      best = std::min(best, down_term(q) + up_term(q));
    }
    for (const Arm* arm : {&up, &down}) {
      const std::vector<double>& xs = arm->values;
      best = MinOfMonotoneSum(
          0, static_cast<int64_t>(xs.size()) - 1,
          [&](int64_t j) { return down_term(xs[j]); },
          [&](int64_t j) { return up_term(xs[j]); }, best);
    }
    return best;
  }

  // Two-sided, as confseq's QuantileABTest::log_superMG_lower_bound.
  const internal::BetaBinomialMixture mixture(v_opt, alpha, p, 1 - p,
                                              /*one_sided=*/false);
  struct G {
    const Arm* arm;
    double n;
    double minimizer;
    double x_lower;  // confseq's minimum_start_x
    double x_upper;  // confseq's minimum_end_x
  };
  auto arm_log_mixture = [&](const Arm& arm, double prop_below) {
    const double n = static_cast<double>(arm.n);
    return mixture.LogValue((prop_below - p) * n, p * (1 - p) * n);
  };
  auto make_g = [&](const Arm& arm) {
    G g;
    g.arm = &arm;
    g.n = static_cast<double>(arm.n);
    g.minimizer = internal::MinimizeBrent(
        [&](double a) { return arm_log_mixture(arm, a); }, 0, 1, 1e-10);
    g.x_lower =
        OrderStatistic(arm, static_cast<int64_t>(std::ceil(g.minimizer * g.n)));
    g.x_upper = OrderStatistic(
        arm, static_cast<int64_t>(std::floor(g.minimizer * g.n)) + 1);
    return g;
  };
  auto eval = [&](const G& g, double x) {
    double prop_below;
    if (x < g.x_lower) {
      prop_below = static_cast<double>(CountLeq(*g.arm, x)) / g.n;
    } else if (x > g.x_upper) {
      prop_below = static_cast<double>(CountLess(*g.arm, x)) / g.n;
    } else {
      prop_below = g.minimizer;
    }
    return arm_log_mixture(*g.arm, prop_below);
  };
  const G g1 = make_g(canary_);
  const G g2 = make_g(baseline_);
  const G& first = g1.x_upper <= g2.x_upper ? g1 : g2;
  const G& second = g1.x_upper <= g2.x_upper ? g2 : g1;
  auto objective = [&](double x) { return eval(first, x) + eval(second, x); };
  double best = std::min(objective(first.x_upper), objective(second.x_lower));
  const Arm& arm2 = *second.arm;
  const int64_t start_index = CountLeq(arm2, first.x_upper);
  const int64_t end_index = CountLeq(arm2, second.x_lower);
  if (start_index > end_index || end_index < 1) return best;
  // confseq visits each distinct value X with start <= rank <= end. The
  // first may lie at or below first.x_upper; every later one lies in
  // (first.x_upper, second.x_lower], where the first arm's term is
  // non-decreasing and the second's non-increasing.
  const double x0 = OrderStatistic(arm2, std::max<int64_t>(1, start_index));
  best = std::min(best, objective(x0));
  const int64_t j0 =
      std::lower_bound(arm2.values.begin(), arm2.values.end(), x0) -
      arm2.values.begin();
  const int64_t j_end = (std::upper_bound(arm2.values.begin(),
                                          arm2.values.end(), second.x_lower) -
                         arm2.values.begin()) -
                        1;
  return MinOfMonotoneSum(
      j0 + 1, j_end, [&](int64_t j) { return eval(first, arm2.values[j]); },
      [&](int64_t j) { return eval(second, arm2.values[j]); }, best);
}

QuantileSequence SequentialQuantileTest::Sequence(const Arm& arm,
                                                  bool is_canary) const {
  QuantileSequence s;
  s.n = arm.n;
  if (arm.n == 0) {
    s.estimate = std::numeric_limits<double>::quiet_NaN();
    s.lower = -kInf;
    s.upper = kInf;
    return s;
  }
  const double p = options_.quantile;
  const double t = static_cast<double>(arm.n);
  s.estimate = OrderStatistic(arm, static_cast<int64_t>(std::ceil(t * p)));
  const double half = options_.alpha / 2;
  const Alternative alt = options_.alternative;
  // Which ends this arm needs: both (two-sided), or the lower end of the arm
  // claimed higher and the upper end of the other.
  const bool claimed_higher = (alt == Alternative::kGreater) == is_canary;
  const bool need_lower = alt == Alternative::kTwoSided || claimed_higher;
  const bool need_upper = alt == Alternative::kTwoSided || !claimed_higher;
  const bool one_sided = alt != Alternative::kTwoSided;
  double u_lo = kInf, u_hi = kInf;
  if (options_.arm_boundary == QuantileBoundary::kStitched) {
    const double t_opt = options_.tuning_observations;
    u_hi = internal::DoubleStitchingBound(p, t, half, t_opt, 0.5, 1.4, 2);
    u_lo = internal::DoubleStitchingBound(1 - p, t, half, t_opt, 0.5, 1.4, 2);
  } else {
    const double v_opt = options_.tuning_observations * p * (1 - p);
    const double v = p * (1 - p) * t;
    const double threshold = std::log(1 / half);
    if (need_upper) {
      u_hi = internal::BetaBinomialMixture(v_opt, half, p, 1 - p, one_sided)
                 .Bound(v, threshold);
    }
    if (need_lower) {
      u_lo = internal::BetaBinomialMixture(v_opt, half, 1 - p, p, one_sided)
                 .Bound(v, threshold);
    }
  }
  s.lower = -kInf;
  s.upper = kInf;
  if (need_lower) {
    const double index = std::floor(t * p - u_lo + 1);
    if (index >= 1) s.lower = OrderStatistic(arm, static_cast<int64_t>(index));
  }
  if (need_upper) {
    const double index = std::ceil(t * p + u_hi);
    if (index <= t) s.upper = OrderStatistic(arm, static_cast<int64_t>(index));
  }
  return s;
}

QuantileSequence SequentialQuantileTest::canary() const {
  return Sequence(canary_, true);
}

QuantileSequence SequentialQuantileTest::baseline() const {
  return Sequence(baseline_, false);
}

bool SequentialQuantileTest::rejected() const {
  return max_log_e_ >= std::log(1 / options_.alpha);
}

bool SequentialQuantileTest::ExcludesZero() const {
  if (canary_.n == 0 || baseline_.n == 0) return false;
  return LowerBound() >= std::log(1 / options_.alpha);
}

SequentialResult SequentialQuantileTest::result() const {
  SequentialResult r;
  r.n_canary = canary_.n;
  r.n_baseline = baseline_.n;
  r.e_value = std::exp(log_e_);
  r.p_value = std::min(1.0, std::exp(-max_log_e_));
  r.rejected = max_log_e_ >= std::log(1 / options_.alpha);
  if (canary_.n == 0 || baseline_.n == 0) return r;
  const QuantileSequence c = canary();
  const QuantileSequence b = baseline();
  r.estimate = c.estimate - b.estimate;
  r.lower = c.lower - b.upper;
  r.upper = c.upper - b.lower;
  if (std::isnan(r.lower)) r.lower = -kInf;
  if (std::isnan(r.upper)) r.upper = kInf;
  return r;
}

std::vector<double> SequentialQuantileTest::SaveState() const {
  std::vector<double> state;
  state.reserve(2 + 2 * (canary_.values.size() + baseline_.values.size()) + 2);
  for (const Arm* arm : {&canary_, &baseline_}) {
    state.push_back(static_cast<double>(arm->values.size()));
    state.insert(state.end(), arm->values.begin(), arm->values.end());
    for (int64_t c : arm->counts) state.push_back(static_cast<double>(c));
  }
  state.push_back(max_log_e_);
  state.push_back(log_e_);
  return state;
}

absl::StatusOr<SequentialQuantileTest> SequentialQuantileTest::Restore(
    const SequentialQuantileOptions& options, absl::Span<const double> state) {
  SLUICE_ASSIGN_OR_RETURN(SequentialQuantileTest test, Create(options));
  size_t at = 0;
  for (Arm* arm : {&test.canary_, &test.baseline_}) {
    if (at >= state.size() || !(state[at] >= 0) ||
        std::floor(state[at]) != state[at] ||
        state[at] > static_cast<double>(state.size())) {
      return internal::InvalidArgumentAt(
          "state", absl::StrCat("bad count of distinct values at ", at));
    }
    const size_t d = static_cast<size_t>(state[at++]);
    if (state.size() - at < 2 * d) {
      return internal::InvalidArgumentAt("state", "too short");
    }
    std::vector<double> values(state.begin() + at, state.begin() + at + d);
    at += d;
    std::vector<int64_t> counts;
    double total = 0;
    for (size_t i = 0; i < d; ++i, ++at) {
      const double c = state[at];
      if (!(c >= 1 && c <= kMaxCount) || std::floor(c) != c) {
        return internal::InvalidArgumentAt(
            "state", "counts must be whole numbers in [1, 2^53]");
      }
      total += c;
      counts.push_back(static_cast<int64_t>(c));
    }
    for (size_t i = 0; i < d; ++i) {
      if (std::isnan(values[i]) || (i > 0 && !(values[i] > values[i - 1]))) {
        return internal::InvalidArgumentAt(
            "state", "values must be ascending, distinct and not NaN");
      }
    }
    if (total > kMaxCount) {
      return internal::InvalidArgumentAt("state", "more than 2^53 values");
    }
    Merge(*arm, std::move(values), std::move(counts));
  }
  if (state.size() - at != 2 || std::isnan(state[at]) ||
      std::isnan(state[at + 1])) {
    return internal::InvalidArgumentAt(
        "state", "must end with the two log e-values (not NaN)");
  }
  test.max_log_e_ = state[at];
  test.log_e_ = state[at + 1];
  return test;
}

bool operator==(const SequentialQuantileTest& a,
                const SequentialQuantileTest& b) {
  return a.options_ == b.options_ && a.canary_ == b.canary_ &&
         a.baseline_ == b.baseline_ && a.log_e_ == b.log_e_ &&
         a.max_log_e_ == b.max_log_e_;
}

}  // namespace sluice::stats
