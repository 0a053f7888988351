// Copyright 2026 The Sluice Authors.
//
// Private: tuning of the normal-mixture boundary of Howard et al. (2021).

#ifndef SLUICE_LIB_STATS_MIXTURE_H_
#define SLUICE_LIB_STATS_MIXTURE_H_

namespace sluice::internal {

// The ratio rho / V at which the two-sided normal-mixture boundary
// sqrt((V + rho) log((V + rho) / (rho alpha^2))) is smallest for a given V:
// the root of 1/r - log(1 + 1/r) = 2 log(1/alpha). About 0.12 at alpha 0.05.
double OptimalMixtureRatio(double alpha);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_MIXTURE_H_
