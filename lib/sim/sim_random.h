// Copyright 2026 The Sluice Authors.
//
// The simulator's random numbers: counter-based (a hash of the seed and of
// the coordinates of the draw, e.g. (run seed, cohort, minute, stream)), so a
// value never depends on the order in which draws are made or on how many
// threads make them, and Sluice's own samplers (inverse-CDF normal,
// log-normal, Pareto, Poisson), whose output does not depend on the standard
// library the way std::*_distribution's does.

#ifndef SLUICE_LIB_SIM_SIM_RANDOM_H_
#define SLUICE_LIB_SIM_SIM_RANDOM_H_

#include <cstdint>
#include <initializer_list>

namespace sluice::internal {

// The splitmix64 finalizer: a bijective 64-bit mix with good avalanche.
inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Hashes a sequence of 64-bit words into one (order matters).
inline uint64_t HashWords(std::initializer_list<uint64_t> words) {
  uint64_t h = 0x6a09e667f3bcc908ULL;
  for (uint64_t w : words) h = SplitMix64(h ^ SplitMix64(w));
  return h;
}

// Maps 64 random bits to a double in the open interval (0, 1).
inline double UnitFromBits(uint64_t bits) {
  return (static_cast<double>(bits >> 12) + 0.5) * (1.0 / 4503599627370496.0);
}

// The standard normal quantile function (Wichura's AS 241, about 1e-16
// relative accuracy) for p in (0, 1).
double SimNormalQuantile(double p);

// The standard normal CDF.
double SimNormalCdf(double x);

// A standard normal draw from 64 random bits (by inversion).
inline double NormalFromBits(uint64_t bits) {
  return SimNormalQuantile(UnitFromBits(bits));
}

// A Poisson(lambda) draw from 64 random bits: by inversion for lambda < 40,
// otherwise the normal approximation with continuity correction (rounded,
// clamped at 0). lambda <= 0 gives 0.
double PoissonFromBits(double lambda, uint64_t bits);

// A Pareto(scale, shape) draw (support [scale, inf)) from 64 random bits.
double ParetoFromBits(double scale, double shape, uint64_t bits);

// A Gamma(shape, 1) draw (mean and variance `shape`) from a key: Marsaglia
// and Tsang's method, its uniforms and normals hashed from (key, i) for the
// i-th attempt, so the value depends on the key alone; shape < 1 by
// Gamma(shape + 1) * U^(1 / shape). shape <= 0 gives 0.
double GammaFromKey(double shape, uint64_t key);

// A Binomial(n, p) draw from 64 random bits (n a non-negative whole number):
// by inversion when n * min(p, 1 - p) < 30, otherwise the normal
// approximation with continuity correction, clamped to [0, n].
double BinomialFromBits(double n, double p, uint64_t bits);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_SIM_SIM_RANDOM_H_
