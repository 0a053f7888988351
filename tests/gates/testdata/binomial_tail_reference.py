# Reference values for BinomialUpperTail (tests/gates/relative_test.cc):
# P(X >= k), X ~ Binomial(n, p), summed exactly with mpmath at 50 digits.
import mpmath
mpmath.mp.dps = 50
def upper_tail(n, k, p):
    p = mpmath.mpf(p)
    return mpmath.fsum(mpmath.binomial(n, i) * p**i * (1 - p)**(n - i)
                       for i in range(k, n + 1))
for n, k, p in [(2000, 1050, '0.5'), (500, 20, '0.02'), (20000, 230, '0.01'),
                (20000, 150, '0.01'), (60, 45, '0.3')]:
    print(n, k, p, mpmath.nstr(upper_tail(n, k, p), 17))
