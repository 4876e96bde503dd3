#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "durable/base/ids.h"
#include "durable/base/macros.h"
#include "durable/base/time_format.h"

namespace durable {
namespace {

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  DURABLE_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(ResultTest, PropagatesErrorsThroughAssignOrReturn) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Quarter(6).status().message(), "odd");
}

TEST(IdsTest, UuidsAreVersion4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto u = NewUuid();
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[14], '4');
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(IdsTest, Base64RoundTripsAndRejectsGarbage) {
  for (std::string s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    std::string out;
    ASSERT_TRUE(Base64Decode(Base64Encode(s), &out));
    EXPECT_EQ(out, s);
  }
  std::string out;
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
  EXPECT_FALSE(Base64Decode("aGVsbG8", &out));
  EXPECT_FALSE(Base64Decode("a=GV", &out));
  EXPECT_FALSE(Base64Decode("a*bc", &out));
}

TEST(IdsTest, PercentDecodeHandlesArnsAndBadEscapes) {
  EXPECT_EQ(PercentDecode("arn%3Aaws%3Alambda%2Fx%24LATEST"), "arn:aws:lambda/x$LATEST");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz"), "%zz");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode(PercentEncode("a/b:c=d+e")), "a/b:c=d+e");
}

TEST(TimeFormatTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatDateTimeMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatDateTimeMs(1'764'178'800'123), "2025-11-26T17:40:00.123Z");
  EXPECT_EQ(FormatDateTimeMs(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatDateTimeMs(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11'017);
}

TEST(TimeFormatTest, StrictSyntaxNeedsTAndZ) {
  EXPECT_EQ(ParseDateTimeMs("2025-11-26T17:40:00.123Z"), 1'764'178'800'123);
  EXPECT_EQ(ParseDateTimeMs("2025-11-26t17:40:00z"), 1'764'178'800'000);
  EXPECT_EQ(ParseDateTimeMs("2000-02-29T00:00:00.5Z"), 951'782'400'500);
  EXPECT_EQ(ParseDateTimeMs("1969-12-31T23:59:59.9999Z"), -1);  // truncated, not rounded
  for (const char* bad :
       {"2025-11-26 17:40:00Z", "2025-11-26T17:40:00", "2025-11-26T17:40:00+01:00",
        "2025-13-26T17:40:00Z", "2025-11-26T24:00:00Z", "2025-11-26T17:40:00.Z",
        "2025-+1-26T17:40:00Z", " 2025-11-26T17:40:00Z", "2025-11-26T17:40:00Zx", "2025-11-26",
        "yesterday", ""}) {
    EXPECT_FALSE(ParseDateTimeMs(bad).has_value()) << bad;
  }
}

TEST(TimeFormatTest, VariantsAreOptIn) {
  const DateTimeSyntax lenient{.space_separator = true,
                               .zone_optional = true,
                               .numeric_offset = true,
                               .offset_without_colon = true};
  EXPECT_EQ(ParseDateTimeMs("2025-12-03 22:59:56Z", lenient), 1'764'802'796'000);
  EXPECT_EQ(ParseDateTimeMs("2025-12-03T22:59:56", lenient), 1'764'802'796'000);
  EXPECT_EQ(ParseDateTimeMs("2025-12-03T23:59:56.123+01:00", lenient), 1'764'802'796'123);
  EXPECT_EQ(ParseDateTimeMs("2025-12-03T17:29:56-0530", lenient), 1'764'802'796'000);
  EXPECT_FALSE(ParseDateTimeMs("2025-12-03T17:29:56-0530", {.numeric_offset = true}));
  EXPECT_EQ(ParseDateTimeMs("2025-12-03T17:29:56-05:30", {.numeric_offset = true}),
            1'764'802'796'000);
  EXPECT_FALSE(ParseDateTimeMs("2025-12-03T22:59:56+01", lenient));
  EXPECT_FALSE(ParseDateTimeMs("2025-12-03T22:59:56+01:00Z", lenient));
}

}  // namespace
}  // namespace durable
