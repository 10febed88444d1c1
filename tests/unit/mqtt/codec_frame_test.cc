#include <gtest/gtest.h>

#include "hearth/mqtt/codec.h"
#include "mqtt/codec/utf8.h"
#include "unit/mqtt/codec_test_util.h"

namespace hearth::mqtt {
namespace {

using test::bytes;
using test::decodeReason;
using test::kV311;
using test::kV5;

constexpr uint32_t kMax = 1 << 20;

FrameResult peekOk(std::string_view buffer, uint32_t max = kMax) {
  auto r = peekFrame(buffer, max);
  EXPECT_TRUE(r.isOk()) << r.error().message;
  return r ? *r : FrameResult{};
}

ReasonCode peekReason(std::string_view buffer, uint32_t max = kMax) {
  auto r = peekFrame(buffer, max);
  EXPECT_FALSE(r.isOk());
  return r ? ReasonCode::kSuccess : r.error().reason;
}

TEST(CodecFrameTest, NeedsMoreUntilHeaderAndBodyArrive) {
  EXPECT_EQ(peekOk("").status, FrameStatus::kNeedMore);
  EXPECT_EQ(peekOk(bytes({0x30})).status, FrameStatus::kNeedMore);
  EXPECT_EQ(peekOk(bytes({0x30, 0x80})).status, FrameStatus::kNeedMore);
  EXPECT_EQ(peekOk(bytes({0x30, 0x80, 0x80, 0x80})).status, FrameStatus::kNeedMore);
  EXPECT_EQ(peekOk(bytes({0x30, 0x03, 0x00, 0x01})).status, FrameStatus::kNeedMore);
}

TEST(CodecFrameTest, CompleteFrameReportsItsSize) {
  FrameResult r = peekOk(bytes({0x30, 0x03, 0x00, 0x01, 't', 0xC0, 0x00}));
  EXPECT_EQ(r.status, FrameStatus::kComplete);
  EXPECT_EQ(r.frame.first_byte, 0x30);
  EXPECT_EQ(r.frame.remaining_length, 3u);
  EXPECT_EQ(r.frame.header_size, 2u);
  EXPECT_EQ(r.frame.size(), 5u);
  r = peekOk(bytes({0xC0, 0x00}));
  EXPECT_EQ(r.status, FrameStatus::kComplete);
  EXPECT_EQ(r.frame.size(), 2u);
}

TEST(CodecFrameTest, DecodesMultiByteRemainingLength) {
  // Spec table 1.5.5: 321 = 0xC1 0x02; 268,435,455 = 0xFF 0xFF 0xFF 0x7F.
  FrameResult r = peekOk(bytes({0x30, 0xC1, 0x02}));
  EXPECT_EQ(r.frame.remaining_length, 321u);
  EXPECT_EQ(r.frame.header_size, 3u);
  r = peekOk(bytes({0x30, 0xFF, 0xFF, 0xFF, 0x7F}), 0xFFFFFFFF);
  EXPECT_EQ(r.frame.remaining_length, 268435455u);
  EXPECT_EQ(r.frame.header_size, 5u);
  EXPECT_EQ(r.status, FrameStatus::kNeedMore);
  r = peekOk(bytes({0x30, 0x80, 0x80, 0x80, 0x01}), 0xFFFFFFFF);
  EXPECT_EQ(r.frame.remaining_length, 2097152u);
}

TEST(CodecFrameTest, RejectsFiveByteRemainingLength) {
  EXPECT_EQ(peekReason(bytes({0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})), ReasonCode::kMalformedPacket);
  // Known to be malformed once the fourth length byte has its continuation bit set.
  EXPECT_EQ(peekReason(bytes({0x30, 0x80, 0x80, 0x80, 0x80})), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), kV5),
            ReasonCode::kMalformedPacket);
}

TEST(CodecFrameTest, RejectsPacketTypeZero) {
  EXPECT_EQ(peekReason(bytes({0x00})), ReasonCode::kMalformedPacket);
  EXPECT_EQ(peekReason(bytes({0x00, 0x00})), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x00, 0x00}), kV311), ReasonCode::kMalformedPacket);
}

TEST(CodecFrameTest, RejectsPacketTooLargeBeforeTheBodyArrives) {
  // Header announces 1000 bytes; only the header is here.
  std::string header = bytes({0x30, 0xE8, 0x07});
  EXPECT_EQ(peekReason(header, 100), ReasonCode::kPacketTooLarge);
  EXPECT_EQ(peekOk(header, 1003).status, FrameStatus::kNeedMore);
  EXPECT_EQ(peekReason(header, 1002), ReasonCode::kPacketTooLarge);
  EXPECT_EQ(peekReason(bytes({0x30, 0xFF, 0xFF, 0xFF, 0x7F}), kMax), ReasonCode::kPacketTooLarge);
}

TEST(CodecFrameTest, DecodeRequiresExactlyOnePacket) {
  // Remaining Length larger than the bytes given, and bytes beyond the Remaining Length.
  EXPECT_EQ(decodeReason(bytes({0x30, 0x05, 0x00, 0x01, 't'}), kV311),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xC0, 0x00, 0x00}), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xC0}), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason("", kV5), ReasonCode::kMalformedPacket);
}

TEST(CodecFrameTest, AcceptsNonMinimalRemainingLength) {
  // The minimum-bytes rule binds the sender; reading a longer form is harmless.
  auto r = decode(bytes({0xC0, 0x80, 0x00}), kV5);
  ASSERT_TRUE(r.isOk());
  EXPECT_TRUE(std::holds_alternative<PingReq>(*r));
}

TEST(CodecFrameTest, ErrorsCarryAMessage) {
  auto r = decode(bytes({0x30, 0x03, 0x00, 0x01, '#'}), kV311);
  ASSERT_FALSE(r.isOk());
  EXPECT_FALSE(r.error().message.empty());
}

TEST(CodecUtf8Test, AcceptsWellFormedText) {
  using detail::isValidMqttUtf8;
  EXPECT_TRUE(isValidMqttUtf8(""));
  EXPECT_TRUE(isValidMqttUtf8("plain ascii topic that is longer than eight bytes"));
  EXPECT_TRUE(isValidMqttUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
  EXPECT_TRUE(isValidMqttUtf8("\xF4\x8F\xBF\xBF"));                           // U+10FFFF
  EXPECT_TRUE(isValidMqttUtf8("\xEF\xBF\xBF"));  // U+FFFF, a non-character, is allowed
  // Control characters are discouraged but legal.
  EXPECT_TRUE(isValidMqttUtf8("\x01\x1F\x7F\xC2\x80\xC2\x9F"));
}

TEST(CodecUtf8Test, RejectsIllFormedText) {
  using detail::isValidMqttUtf8;
  EXPECT_FALSE(isValidMqttUtf8(std::string_view("\0", 1)));
  EXPECT_FALSE(isValidMqttUtf8(std::string_view("abcdefghijkl\0mn", 15)));  // NUL in the fast path
  EXPECT_FALSE(isValidMqttUtf8("\xC0\x80"));                                // overlong NUL
  EXPECT_FALSE(isValidMqttUtf8("\xC1\xBF"));                                // overlong
  EXPECT_FALSE(isValidMqttUtf8("\xE0\x80\x80"));                            // overlong
  EXPECT_FALSE(isValidMqttUtf8("\xF0\x80\x80\x80"));                        // overlong
  EXPECT_FALSE(isValidMqttUtf8("\xED\xA0\x80"));                            // U+D800 surrogate
  EXPECT_FALSE(isValidMqttUtf8("\xED\xBF\xBF"));                            // U+DFFF surrogate
  EXPECT_FALSE(isValidMqttUtf8("\xF4\x90\x80\x80"));                        // above U+10FFFF
  EXPECT_FALSE(isValidMqttUtf8("\xF8\x88\x80\x80\x80"));
  EXPECT_FALSE(isValidMqttUtf8("\x80"));          // lone continuation byte
  EXPECT_FALSE(isValidMqttUtf8("abc\xE2\x82"));   // truncated sequence
  EXPECT_FALSE(isValidMqttUtf8("\xE2\x28\xA1"));  // bad continuation byte
  EXPECT_FALSE(isValidMqttUtf8("abcdefgh\xFF"));
}

}  // namespace
}  // namespace hearth::mqtt
