#include "hearth/spec/value_check.h"

#include <gtest/gtest.h>

#include <limits>

#include "spec_test_util.h"

namespace hearth::spec {
namespace {

namespace json = boost::json;
using testing::lightProperty;

// Light properties by piid (see spec_test_util.h).
Property on() { return lightProperty(1, 0); }
Property brightness() { return lightProperty(1, 1); }
Property mode() { return lightProperty(1, 2); }
Property targetTemperature() { return lightProperty(1, 4); }
Property name() { return lightProperty(1, 5); }
Property temperature() { return lightProperty(1, 6); }
Property identify() { return lightProperty(1, 7); }

ValueError errorOf(const Property& p, const json::value& v, Operation op = Operation::kWrite) {
  return checkValue(p, v, op).error;
}

Property withFormat(Format format) {
  Property p = brightness();
  p.format = format;
  p.value_range.reset();
  p.unit.reset();
  return p;
}

TEST(ValueCheckTest, BoolAcceptsOnlyTrueAndFalse) {
  auto ok = checkValue(on(), true, Operation::kWrite);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok.value.boolean);
  EXPECT_EQ(errorOf(on(), 1), ValueError::kWrongType);  // 1 → true is not a safe coercion
  EXPECT_EQ(errorOf(on(), 0), ValueError::kWrongType);
  EXPECT_EQ(errorOf(on(), "true"), ValueError::kWrongType);
  EXPECT_EQ(errorOf(on(), nullptr), ValueError::kWrongType);
}

TEST(ValueCheckTest, Uint8Value300IsOutOfRange) {
  EXPECT_EQ(errorOf(withFormat(Format::kUint8), 300), ValueError::kOutOfRange);
  EXPECT_EQ(errorOf(withFormat(Format::kUint8), 255), ValueError::kOk);
  EXPECT_EQ(errorOf(withFormat(Format::kUint8), -1), ValueError::kOutOfRange);
  EXPECT_EQ(errorOf(withFormat(Format::kInt8), -128), ValueError::kOk);
  EXPECT_EQ(errorOf(withFormat(Format::kInt8), 128), ValueError::kOutOfRange);
  EXPECT_EQ(errorOf(withFormat(Format::kUint32), 4294967296LL), ValueError::kOutOfRange);
  PropertyChecker checker(withFormat(Format::kUint8));
  EXPECT_EQ(checker.message(300, ValueError::kOutOfRange), "out of range: 300 is outside 0..255 (uint8)");
}

TEST(ValueCheckTest, IntegerRangeAppliesWithinFormat) {
  EXPECT_EQ(errorOf(brightness(), 1), ValueError::kOk);
  EXPECT_EQ(errorOf(brightness(), 100), ValueError::kOk);
  EXPECT_EQ(errorOf(brightness(), 0), ValueError::kOutOfRange);
  EXPECT_EQ(errorOf(brightness(), 101), ValueError::kOutOfRange);
  EXPECT_EQ(PropertyChecker(brightness()).message(101, ValueError::kOutOfRange),
            "out of range: 101 is outside 1..100 (uint8)");
}

TEST(ValueCheckTest, IntegerStepCountsFromMin) {
  Property p = brightness();
  p.value_range = ValueRange{Number::ofInt(1), Number::ofInt(100), Number::ofInt(5)};
  EXPECT_EQ(errorOf(p, 6), ValueError::kOk);
  EXPECT_EQ(errorOf(p, 5), ValueError::kOffStep);
  EXPECT_EQ(errorOf(p, 96), ValueError::kOk);
}

TEST(ValueCheckTest, IntegerAcceptsWholeFractionOnly) {
  auto ok = checkValue(brightness(), 24.0, Operation::kWrite);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value.integer, 24);
  EXPECT_EQ(errorOf(brightness(), 24.5), ValueError::kWrongType);
  EXPECT_EQ(PropertyChecker(brightness()).message(24.5, ValueError::kWrongType),
            "wrong type: 24.5 is not a whole number (uint8)");
  EXPECT_EQ(errorOf(brightness(), "24"), ValueError::kWrongType);
  EXPECT_EQ(errorOf(brightness(), true), ValueError::kWrongType);
  EXPECT_EQ(errorOf(withFormat(Format::kInt64), 1e30), ValueError::kOutOfRange);
}

TEST(ValueCheckTest, FloatAcceptsIntegers) {
  auto ok = checkValue(targetTemperature(), 24, Operation::kWrite);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value.real, 24.0);
  EXPECT_EQ(ok.value.format, Format::kFloat);
}

TEST(ValueCheckTest, FloatWithStepHalf) {
  EXPECT_EQ(errorOf(targetTemperature(), 16), ValueError::kOk);
  EXPECT_EQ(errorOf(targetTemperature(), 16.5), ValueError::kOk);
  EXPECT_EQ(errorOf(targetTemperature(), 30.0), ValueError::kOk);
  EXPECT_EQ(errorOf(targetTemperature(), 16.3), ValueError::kOffStep);
  EXPECT_EQ(errorOf(targetTemperature(), 30.5), ValueError::kOutOfRange);
  EXPECT_EQ(errorOf(targetTemperature(), 15.5), ValueError::kOutOfRange);
  EXPECT_EQ(PropertyChecker(targetTemperature()).message(16.3, ValueError::kOffStep),
            "off step: 16.3 is not 16 + k * 0.5");
}

TEST(ValueCheckTest, FloatWithStepTenthToleratesBinaryRounding) {
  // -40 + k * 0.1 is never exact in binary; these are all on step.
  for (double v : {-40.0, -39.9, 0.3, 21.7, 25.1, 99.9, 125.0}) {
    EXPECT_EQ(errorOf(temperature(), v, Operation::kReport), ValueError::kOk) << v;
  }
  EXPECT_EQ(errorOf(temperature(), 21.75, Operation::kReport), ValueError::kOffStep);
  EXPECT_EQ(errorOf(temperature(), 125.1, Operation::kReport), ValueError::kOutOfRange);
  Property tenth = targetTemperature();
  tenth.value_range = ValueRange{Number::ofInt(0), Number::ofInt(1), Number::ofDouble(0.1)};
  EXPECT_EQ(errorOf(tenth, 0.3), ValueError::kOk);  // 0.3 / 0.1 = 2.9999999999999996
  EXPECT_EQ(errorOf(tenth, 0.7000000000000001), ValueError::kOk);
}

TEST(ValueCheckTest, FloatWithoutRangeAcceptsAnyNumber) {
  Property p = targetTemperature();
  p.value_range.reset();
  EXPECT_EQ(errorOf(p, -1e300), ValueError::kOk);
  EXPECT_EQ(errorOf(p, std::numeric_limits<double>::infinity()), ValueError::kOutOfRange);
}

TEST(ValueCheckTest, ValueListRejectsOthers) {
  EXPECT_EQ(errorOf(mode(), 0), ValueError::kOk);
  EXPECT_EQ(errorOf(mode(), 1), ValueError::kOk);
  EXPECT_EQ(errorOf(mode(), 2), ValueError::kNotInList);
  EXPECT_EQ(PropertyChecker(mode()).message(2, ValueError::kNotInList), "not in list: 2 is not one of 0, 1");
}

TEST(ValueCheckTest, FloatValueList) {
  Property p = targetTemperature();
  p.value_range.reset();
  p.value_list = ValueList{{Number::ofDouble(0.1), {}}, {Number::ofInt(2), {}}};
  EXPECT_EQ(errorOf(p, 0.1), ValueError::kOk);
  EXPECT_EQ(errorOf(p, 2), ValueError::kOk);
  EXPECT_EQ(errorOf(p, 0.2), ValueError::kNotInList);
}

TEST(ValueCheckTest, StringTooLong) {
  CheckOptions options;
  options.max_string_bytes = 8;
  PropertyChecker checker(name(), options);
  json::value kitchen = "kitchen";  // the checked value's text views this
  auto ok = checker.check(kitchen, Operation::kWrite);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value.text, "kitchen");
  json::value long_name = "living room";
  EXPECT_EQ(checker.check(long_name, Operation::kWrite).error, ValueError::kStringTooLong);
  EXPECT_EQ(checker.message(long_name, ValueError::kStringTooLong), "string too long: 11 bytes, at most 8");
  EXPECT_EQ(checker.check(5, Operation::kWrite).error, ValueError::kWrongType);
}

TEST(ValueCheckTest, WriteNeedsWriteAccess) {
  EXPECT_EQ(errorOf(temperature(), 20, Operation::kWrite), ValueError::kNotWritable);
  EXPECT_EQ(errorOf(temperature(), 20, Operation::kReport), ValueError::kOk);
  EXPECT_EQ(PropertyChecker(temperature()).message(20, ValueError::kNotWritable),
            "not writable: access is read, notify");
}

TEST(ValueCheckTest, ReportNeedsReadOrNotify) {
  EXPECT_EQ(errorOf(identify(), true, Operation::kReport), ValueError::kNotReadable);
  EXPECT_EQ(errorOf(identify(), true, Operation::kWrite), ValueError::kOk);
  Property notify_only = on();
  notify_only.access = Access(Access::kNotify);
  EXPECT_EQ(errorOf(notify_only, true, Operation::kReport), ValueError::kOk);
}

TEST(ValueCheckTest, ArgumentIgnoresAccess) {
  EXPECT_EQ(errorOf(temperature(), 20, Operation::kArgument), ValueError::kOk);
  Property none = on();
  none.access = Access();
  EXPECT_EQ(errorOf(none, true, Operation::kArgument), ValueError::kOk);
  EXPECT_EQ(errorOf(none, true, Operation::kReport), ValueError::kNotReadable);
}

TEST(ValueCheckTest, Int64Extremes) {
  Property p = withFormat(Format::kInt64);
  EXPECT_EQ(errorOf(p, std::numeric_limits<int64_t>::max()), ValueError::kOk);
  EXPECT_EQ(errorOf(p, std::numeric_limits<int64_t>::min()), ValueError::kOk);
  EXPECT_EQ(errorOf(p, std::numeric_limits<uint64_t>::max()), ValueError::kOutOfRange);
  p.value_range = ValueRange{Number::ofInt(std::numeric_limits<int64_t>::min()),
                             Number::ofInt(std::numeric_limits<int64_t>::max()), Number::ofInt(7)};
  EXPECT_EQ(errorOf(p, std::numeric_limits<int64_t>::min() + 7), ValueError::kOk);
  // max - min = 2^64 - 1, which is 1 modulo 7: checked without overflow.
  EXPECT_EQ(errorOf(p, std::numeric_limits<int64_t>::max()), ValueError::kOffStep);
  EXPECT_EQ(errorOf(p, std::numeric_limits<int64_t>::max() - 1), ValueError::kOk);
}

TEST(ValueCheckTest, FractionalRangeOnIntegerFormatStillChecks) {
  // An invalid spec (validate() reports it), but checks must stay sane.
  Property p = brightness();
  p.value_range = ValueRange{Number::ofInt(0), Number::ofInt(10), Number::ofDouble(2.5)};
  EXPECT_EQ(errorOf(p, 5), ValueError::kOk);
  EXPECT_EQ(errorOf(p, 6), ValueError::kOffStep);
  EXPECT_EQ(errorOf(p, 11), ValueError::kOutOfRange);
}

TEST(ValueCheckTest, NamesAndMiotCodes) {
  EXPECT_EQ(valueErrorName(ValueError::kOffStep), "off-step");
  EXPECT_EQ(miotErrorCode(ValueError::kNotReadable, false), 13);
  EXPECT_EQ(miotErrorCode(ValueError::kNotWritable, false), 23);
  EXPECT_EQ(miotErrorCode(ValueError::kOutOfRange, false), 43);
  EXPECT_EQ(miotErrorCode(ValueError::kOutOfRange, true), 35);
  EXPECT_EQ(miotErrorCode(ValueError::kArgumentCount, true), 25);
  EXPECT_EQ(miotErrorCode(ValueError::kOk, true), 0);
}

class ArgumentsCheckTest : public ::testing::Test {
 protected:
  Instance light_ = testing::lightInstance();
  const Service& service_ = light_.services[1];
};

TEST_F(ArgumentsCheckTest, ChecksCountAndEachValue) {
  ArgumentsChecker in(service_, service_.actions[1].in);  // mode, brightness
  EXPECT_TRUE(in.check(json::array{1, 50}).ok());
  ArgumentsCheck count = in.check(json::array{1});
  EXPECT_EQ(count.error, ValueError::kArgumentCount);
  EXPECT_EQ(in.message(json::array{1}, count), "argument count: got 1, expected 2");
  json::array bad{5, 50};
  ArgumentsCheck value = in.check(bad);
  EXPECT_EQ(value.error, ValueError::kNotInList);
  EXPECT_EQ(value.index, 0u);
  EXPECT_EQ(in.message(bad, value), "argument 0: not in list: 5 is not one of 0, 1");
  EXPECT_EQ(in.check(json::array{1, 500}).index, 1u);
}

TEST_F(ArgumentsCheckTest, EmptyListTakesNoValues) {
  ArgumentsChecker in(service_, service_.actions[0].in);
  EXPECT_TRUE(in.check(json::array{}).ok());
  EXPECT_EQ(in.check(json::array{true}).error, ValueError::kArgumentCount);
}

TEST_F(ArgumentsCheckTest, ArgumentsIgnoreAccess) {
  // temperature is read/notify only, yet may be an argument.
  ArgumentsChecker out(service_, {Argument{7, {}}});
  EXPECT_TRUE(out.check(json::array{21.5}).ok());
}

TEST_F(ArgumentsCheckTest, RepeatTakesARangeOfValues) {
  ArgumentsChecker in(service_, {Argument{3, Repeat{1, 3}}, Argument{2, {}}});
  EXPECT_EQ(in.check(json::array{50}).error, ValueError::kArgumentCount);
  EXPECT_TRUE(in.check(json::array{0, 50}).ok());
  EXPECT_TRUE(in.check(json::array{0, 1, 0, 50}).ok());
  EXPECT_EQ(in.check(json::array{0, 1, 0, 1, 50}).error, ValueError::kArgumentCount);
  // Extra values go to the repeating argument first: 50 lands on mode, out of its list.
  ArgumentsCheck r = in.check(json::array{0, 50, 50});
  EXPECT_EQ(r.error, ValueError::kNotInList);
  EXPECT_EQ(r.index, 1u);
}

TEST_F(ArgumentsCheckTest, UndefinedPropertyRejectsItsValue) {
  ArgumentsChecker in(service_, {Argument{42, {}}});
  json::array values{1};
  ArgumentsCheck r = in.check(values);
  EXPECT_EQ(r.error, ValueError::kUndefined);
  EXPECT_EQ(in.message(values, r), "argument 0: the spec names property iid 42, which the service does not have");
}

}  // namespace
}  // namespace hearth::spec
