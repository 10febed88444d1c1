// The one definition of "v is within a fractional range and on its step", shared by value
// checking and the upgrade check so that both accept exactly the same values.
#pragma once

#include <cmath>

#include "hearth/spec/value_check.h"

namespace hearth::spec::detail {

// A millionth of a step: far above the rounding error of (v - min) / step for any sane range,
// far below any difference a person means (0.3 / 0.1 = 2.9999999999999996 must pass).
inline constexpr double kStepTolerance = 1e-6;

// kOk, kOutOfRange or kOffStep. A step <= 0 (an invalid spec) checks the bounds only.
inline ValueError checkRealRange(double v, double min, double max, double step) noexcept {
  const double slack = step > 0 ? step * kStepTolerance : 0;
  if (v < min - slack || v > max + slack) return ValueError::kOutOfRange;
  if (step > 0) {
    const double k = (v - min) / step;
    if (std::fabs(k - std::nearbyint(k)) > kStepTolerance) return ValueError::kOffStep;
  }
  return ValueError::kOk;
}

}  // namespace hearth::spec::detail
