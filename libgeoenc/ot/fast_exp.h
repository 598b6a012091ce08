#pragma once
// exp(x) for x <= 0, in plain arithmetic the compiler vectorises (glibc's exp
// is a scalar call, and it is most of the time of a Sinkhorn pass). Cody-Waite
// reduction to |r| <= ln2/2 and a degree-12 Taylor polynomial: relative error
// below 2e-16 plus rounding. Results below exp(-708) are flushed to 0: they are
// added to sums that hold at least 1 (the log-sum-exp's largest term).
#include <cstdint>
#include <cstring>

namespace geoenc::ot {

inline double exp_nonpositive(double x) {
    constexpr double kLog2e = 1.4426950408889634074;
    constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
    constexpr double kShifter = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to an integer
    const double xc = x < -708.0 ? -708.0 : x;       // also maps -inf; flushed to 0 below
    const double t = xc * kLog2e + kShifter;
    const double k = t - kShifter;                   // round(x / ln 2)
    const double r = (xc - k * kLn2Hi) - k * kLn2Lo;
    double p = 1.0 / 479001600.0;  // 1/12!
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // The low bits of t hold k; shifting (k + 1023) into the exponent field gives 2^k.
    std::uint64_t bits;
    std::memcpy(&bits, &t, sizeof bits);
    bits = (bits + 1023) << 52;
    double scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return x < -708.0 ? 0.0 : p * scale;
}

}  // namespace geoenc::ot
