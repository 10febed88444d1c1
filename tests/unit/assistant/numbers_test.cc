#include "hearth/assistant/numbers.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::assistant {
namespace {

// The one number in `text`, as value and percent flag; fails the test when there is not exactly one.
SpokenNumber only(std::string_view text) {
  auto found = findNumbers(text);
  EXPECT_EQ(found.size(), 1u) << text;
  return found.empty() ? SpokenNumber{-1e9} : found[0];
}

TEST(NumbersTest, DigitsWithDecimalsSignsAndPercent) {
  EXPECT_EQ(only("set it to 24").value, 24);
  EXPECT_EQ(only("set it to 24.5 degrees").value, 24.5);
  EXPECT_EQ(only("set it to -5").value, -5);
  EXPECT_EQ(only("day-5").value, 5);  // a hyphen inside a word is not a minus
  const auto p = only("brightness 50%");
  EXPECT_EQ(p.value, 50);
  EXPECT_TRUE(p.percent);
  EXPECT_TRUE(only("brightness 50 percent").percent);
  EXPECT_TRUE(only("brightness 50 per cent please").percent);
  EXPECT_FALSE(only("24 degrees").percent);
  EXPECT_EQ(only("ends with a dot 7.").value, 7);
}

TEST(NumbersTest, EnglishWords) {
  EXPECT_EQ(only("set the temperature to twenty four degrees").value, 24);
  EXPECT_EQ(only("twenty-four").value, 24);
  EXPECT_EQ(only("Twenty Two").value, 22);
  EXPECT_EQ(only("one hundred and five").value, 105);
  EXPECT_EQ(only("a hundred").value, 100);
  EXPECT_EQ(only("two thousand five hundred").value, 2500);
  EXPECT_EQ(only("twenty point five").value, 20.5);
  EXPECT_EQ(only("seventy five percent").value, 75);
  EXPECT_TRUE(only("seventy five percent").percent);
  EXPECT_EQ(only("zero").value, 0);
}

TEST(NumbersTest, HalfAndQuarterAreShares) {
  const auto half = only("open the blinds half way");
  EXPECT_EQ(half.value, 50);
  EXPECT_TRUE(half.percent);
  EXPECT_EQ(only("a quarter").value, 25);
  EXPECT_EQ(only("一半").value, 50);
  EXPECT_TRUE(only("窗帘开一半").percent);
}

TEST(NumbersTest, ChineseNumerals) {
  EXPECT_EQ(only("把空调调到二十四度").value, 24);
  EXPECT_EQ(only("七十五").value, 75);
  EXPECT_EQ(only("十五").value, 15);
  EXPECT_EQ(only("十").value, 10);
  EXPECT_EQ(only("一百零五").value, 105);
  EXPECT_EQ(only("一百五").value, 150);
  EXPECT_EQ(only("两百").value, 200);
  EXPECT_EQ(only("三千二").value, 3200);
  EXPECT_EQ(only("二十四点五度").value, 24.5);
  EXPECT_EQ(only("二四").value, 24);
  EXPECT_EQ(only("零下五度").value, -5);
}

TEST(NumbersTest, ChineseShares) {
  const auto p = only("亮度调到百分之五十");
  EXPECT_EQ(p.value, 50);
  EXPECT_TRUE(p.percent);
  EXPECT_EQ(only("百分之30").value, 30);
  EXPECT_TRUE(only("百分之30").percent);
  EXPECT_TRUE(only("音量五十％").percent);
  EXPECT_EQ(only("２４度").value, 24);  // full-width digits
}

TEST(NumbersTest, WordsThatOnlyLookLikeNumbers) {
  EXPECT_TRUE(findNumbers("帮我打开一下客厅的灯").empty());
  EXPECT_TRUE(findNumbers("调亮一点").empty());
  EXPECT_TRUE(findNumbers("一起关掉").empty());
  EXPECT_TRUE(findNumbers("turn off the lights please").empty());
  EXPECT_TRUE(findNumbers("").empty());
}

TEST(NumbersTest, OffsetsCoverWhatWasRead) {
  const std::string text = "set to twenty four percent now";
  const auto n = only(text);
  EXPECT_EQ(text.substr(n.begin, n.end - n.begin), "twenty four percent");
  const std::string zh = "温度调到二十四度";
  const auto m = only(zh);
  EXPECT_EQ(zh.substr(m.begin, m.end - m.begin), "二十四");
}

TEST(NumbersTest, SeveralNumbersInOrder) {
  const auto found = findNumbers("from 18 to twenty two, then 百分之五十");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].value, 18);
  EXPECT_EQ(found[1].value, 22);
  EXPECT_EQ(found[2].value, 50);
}

TEST(NumbersTest, MalformedUtf8IsReadAsBytes) {
  EXPECT_TRUE(findNumbers(std::string("\xff\xfe\xe4\xb8", 4)).empty());
  EXPECT_EQ(findNumbers(std::string("\xe4\xb8 5", 4)).size(), 1u);
}

// Each of these threw std::out_of_range from std::stod (and ended hearthd with it).
TEST(NumbersTest, NumbersBeyondAnySettingAreOutOfRangeNotAThrow) {
  const std::string nines(330, '9');
  const auto huge = only("set the desk lamp brightness to " + nines);
  EXPECT_TRUE(huge.out_of_range);
  EXPECT_EQ(huge.value, 0);
  EXPECT_EQ(huge.end, 32 + nines.size());  // the digits are read, not left for other numbers
  EXPECT_TRUE(only("-" + nines).out_of_range);
  EXPECT_TRUE(only(nines + ".5%").out_of_range);
  EXPECT_TRUE(only("百分之" + nines).out_of_range);
  EXPECT_TRUE(only("零下" + nines).out_of_range);
  std::string chinese_nines;
  for (int i = 0; i < 330; ++i) chinese_nines += "九";
  EXPECT_TRUE(only(chinese_nines).out_of_range);
  std::string hundreds = "nine";
  for (int i = 0; i < 200; ++i) hundreds += " hundred";  // 9e400: infinity as a double
  EXPECT_TRUE(only(hundreds).out_of_range);
  // The largest in range, and leading zeros that do not make a number large.
  EXPECT_EQ(only("1000000000000000").value, kMaxSpokenNumber);
  EXPECT_TRUE(only("1000000000000001").out_of_range);
  EXPECT_EQ(only(std::string(400, '0') + "42").value, 42);
  EXPECT_FALSE(only("42").out_of_range);
}

// A fraction of hundreds of digits underflowed std::stod; digits past the fifteenth change nothing.
TEST(NumbersTest, LongFractionsAreReadToTheirFifteenthDigit) {
  EXPECT_EQ(only("0." + std::string(400, '0') + "1").value, 0);
  EXPECT_EQ(only("24.5" + std::string(400, '0') + "1").value, 24.5);
  std::string zeros = "twenty point";
  for (int i = 0; i < 400; ++i) zeros += " zero";
  EXPECT_EQ(only(zeros + " one").value, 20);
  std::string chinese = "二十四点五";
  for (int i = 0; i < 400; ++i) chinese += "零";
  EXPECT_EQ(only(chinese + "一").value, 24.5);
}

// Each 百分之 with digits read all of the rest of the text again, so that 50 of them (500 bytes,
// the API's limit) took 2^50 reads: this test did not end before the fix.
TEST(NumbersTest, ManySharesAreReadOnce) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "百分之5";
  const auto found = findNumbers(text);
  ASSERT_EQ(found.size(), 200u);
  EXPECT_EQ(found.back().value, 5);
  EXPECT_TRUE(found.back().percent);
}

}  // namespace
}  // namespace hearth::assistant
