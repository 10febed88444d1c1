#include "hearth/spec/value_check.h"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

#include "json_reader.h"
#include "real_range.h"

namespace hearth::spec {
namespace json = boost::json;
namespace {

// The value as messages show it, cut short: a rejected value can be anything a device sent.
std::string shown(const json::value& v) {
  constexpr size_t kMax = 64;
  if (const double* d = v.if_double()) return Number::ofDouble(*d).toString();  // 24.5, not 2.45E1
  std::string text = json::serialize(v);
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

std::string numberText(double d) { return Number::ofDouble(d).toString(); }

}  // namespace

std::string_view valueErrorName(ValueError error) {
  switch (error) {
    case ValueError::kOk: return "ok";
    case ValueError::kWrongType: return "wrong-type";
    case ValueError::kOutOfRange: return "out-of-range";
    case ValueError::kOffStep: return "off-step";
    case ValueError::kNotInList: return "not-in-list";
    case ValueError::kStringTooLong: return "string-too-long";
    case ValueError::kNotWritable: return "not-writable";
    case ValueError::kNotReadable: return "not-readable";
    case ValueError::kArgumentCount: return "argument-count";
    case ValueError::kUndefined: return "undefined";
  }
  return "unknown";
}

int miotErrorCode(ValueError error, bool action_argument) {
  switch (error) {
    case ValueError::kOk: return 0;
    case ValueError::kNotReadable: return 13;
    case ValueError::kNotWritable: return 23;
    case ValueError::kArgumentCount: return 25;
    default: return action_argument ? 35 : 43;
  }
}

PropertyChecker::PropertyChecker(const Property& property, const CheckOptions& options)
    : format_(property.format), access_(property.access), max_string_bytes_(options.max_string_bytes) {
  const bool integer = isIntegerFormat(format_);
  if (integer) {
    const IntegerBounds bounds = integerBounds(format_);
    imin_ = bounds.min;
    imax_ = bounds.max;
  }
  if (property.value_range && isNumericFormat(format_)) {
    const ValueRange& r = *property.value_range;
    has_range_ = true;
    dmin_ = r.min.toDouble();
    dmax_ = r.max.toDouble();
    dstep_ = r.step.toDouble();
    const auto min = r.min.toInt64();
    const auto max = r.max.toInt64();
    const auto step = r.step.toInt64();
    integer_step_ = integer && min && max && step && *step > 0;
    if (integer_step_) {
      ibase_ = *min;
      istep_ = *step;
      imin_ = std::max(imin_, *min);
      imax_ = std::min(imax_, *max);
    }
  }
  // A value-list holds numbers, so it constrains numeric formats only (validate() reports one on
  // a string or bool property as an error).
  if (property.value_list && isNumericFormat(format_)) {
    has_list_ = true;
    for (const auto& entry : *property.value_list) {
      if (integer) {
        if (auto v = entry.value.toInt64()) int_list_.push_back(*v);
      } else {
        real_list_.push_back(entry.value.toDouble());
      }
    }
    std::sort(int_list_.begin(), int_list_.end());
    std::sort(real_list_.begin(), real_list_.end());
  }
}

ValueCheck PropertyChecker::check(const json::value& value, Operation operation) const noexcept {
  ValueCheck result;
  result.value.format = format_;
  if (operation == Operation::kWrite && !access_.canWrite()) {
    result.error = ValueError::kNotWritable;
    return result;
  }
  if (operation == Operation::kReport && !access_.canRead() && !access_.canNotify()) {
    result.error = ValueError::kNotReadable;
    return result;
  }
  switch (format_) {
    case Format::kBool:
      if (const bool* b = value.if_bool()) {
        result.value.boolean = *b;
      } else {
        result.error = ValueError::kWrongType;
      }
      return result;
    case Format::kString:
      if (const json::string* s = value.if_string()) {
        if (s->size() > max_string_bytes_) result.error = ValueError::kStringTooLong;
        result.value.text = std::string_view(s->data(), s->size());
      } else {
        result.error = ValueError::kWrongType;
      }
      return result;
    case Format::kFloat: {
      double d = 0;
      if (const double* p = value.if_double()) {
        d = *p;
      } else if (const int64_t* i = value.if_int64()) {
        d = static_cast<double>(*i);
      } else if (const uint64_t* u = value.if_uint64()) {
        d = static_cast<double>(*u);
      } else {
        result.error = ValueError::kWrongType;
        return result;
      }
      result.value.real = d;
      result.error = checkReal(d);
      return result;
    }
    default: break;
  }
  int64_t v = 0;
  if (const int64_t* i = value.if_int64()) {
    v = *i;
  } else if (const uint64_t* u = value.if_uint64()) {
    if (*u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      result.error = ValueError::kOutOfRange;  // above int64, so above every integer format
      return result;
    }
    v = static_cast<int64_t>(*u);
  } else if (const double* d = value.if_double()) {
    const auto whole = Number::ofDouble(*d).toInt64();
    if (!whole) {
      // A whole number beyond int64 is beyond every integer format; anything else is a fraction.
      result.error = std::trunc(*d) == *d ? ValueError::kOutOfRange : ValueError::kWrongType;
      return result;
    }
    v = *whole;
  } else {
    result.error = ValueError::kWrongType;
    return result;
  }
  result.value.integer = v;
  result.error = checkInteger(v);
  return result;
}

ValueError PropertyChecker::checkInteger(int64_t v) const noexcept {
  if (v < imin_ || v > imax_) return ValueError::kOutOfRange;
  if (integer_step_) {
    // v >= imin_ >= ibase_, so the difference is exact in uint64 even across int64's range.
    const uint64_t distance = static_cast<uint64_t>(v) - static_cast<uint64_t>(ibase_);
    if (distance % static_cast<uint64_t>(istep_) != 0) return ValueError::kOffStep;
  } else if (has_range_) {
    const ValueError e = checkReal(static_cast<double>(v));
    if (e != ValueError::kOk) return e;
  }
  if (has_list_ && !std::binary_search(int_list_.begin(), int_list_.end(), v)) {
    return ValueError::kNotInList;
  }
  return ValueError::kOk;
}

ValueError PropertyChecker::checkReal(double v) const noexcept {
  if (!std::isfinite(v)) return ValueError::kOutOfRange;
  if (has_range_) {
    const ValueError e = detail::checkRealRange(v, dmin_, dmax_, dstep_);
    if (e != ValueError::kOk) return e;
  }
  if (has_list_ && format_ == Format::kFloat) {
    auto it = std::lower_bound(real_list_.begin(), real_list_.end(), v);
    auto near = [&](std::vector<double>::const_iterator at) {
      return at != real_list_.end() && std::fabs(*at - v) <= 1e-9 * std::max(1.0, std::fabs(v));
    };
    if (!near(it) && (it == real_list_.begin() || !near(std::prev(it)))) return ValueError::kNotInList;
  }
  return ValueError::kOk;
}

std::string PropertyChecker::message(const json::value& value, ValueError error) const {
  const std::string format(formatName(format_));
  const std::string v = shown(value);
  switch (error) {
    case ValueError::kOk: return "ok";
    case ValueError::kWrongType:
      if (isIntegerFormat(format_) && value.is_double()) {
        return "wrong type: " + v + " is not a whole number (" + format + ")";
      }
      return "wrong type: expected " + format + ", got " + std::string(detail::jsonKindName(value)) + " " + v;
    case ValueError::kOutOfRange:
      if (isIntegerFormat(format_) && (integer_step_ || !has_range_)) {
        return "out of range: " + v + " is outside " + std::to_string(imin_) + ".." +
               std::to_string(imax_) + " (" + format + ")";
      }
      return "out of range: " + v + " is outside " + numberText(dmin_) + ".." + numberText(dmax_);
    case ValueError::kOffStep:
      return "off step: " + v + " is not " + numberText(dmin_) + " + k * " + numberText(dstep_);
    case ValueError::kNotInList: {
      std::string out = "not in list: " + v + " is not one of ";
      constexpr size_t kShown = 12;
      const size_t n = isIntegerFormat(format_) ? int_list_.size() : real_list_.size();
      for (size_t i = 0; i < n && i < kShown; ++i) {
        if (i > 0) out += ", ";
        out += isIntegerFormat(format_) ? std::to_string(int_list_[i]) : numberText(real_list_[i]);
      }
      if (n > kShown) out += ", ...";
      return out;
    }
    case ValueError::kStringTooLong: {
      const json::string* s = value.if_string();
      return "string too long: " + std::to_string(s == nullptr ? 0 : s->size()) + " bytes, at most " +
             std::to_string(max_string_bytes_);
    }
    case ValueError::kNotWritable: return "not writable: access is " + access_.toString();
    case ValueError::kNotReadable: return "not readable: access is " + access_.toString();
    case ValueError::kArgumentCount:
    case ValueError::kUndefined: break;
  }
  return std::string(valueErrorName(error));
}

ValueCheck checkValue(const Property& property, const json::value& value, Operation operation,
                      const CheckOptions& options) {
  return PropertyChecker(property, options).check(value, operation);
}

}  // namespace hearth::spec
