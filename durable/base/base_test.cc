#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "durable/base/after_reply.h"
#include "durable/base/ids.h"
#include "durable/base/macros.h"
#include "durable/base/time_format.h"
#include "durable/base/utf8.h"

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

TEST(IdsTest, HexEncodeIsLowerCaseTwoCharactersPerByte) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x0f\xa5\xff", 4)), "000fa5ff");
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

TEST(Utf8Test, AcceptsStrictUtf8Only) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
  for (std::string_view bad :
       {"\xC3", "\xC3(", "\x80", "\xFF", "\xC0\xAF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF",
        "\xED\xA0\x80", "\xF4\x90\x80\x80", "ok\xE2\x82"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << testing::PrintToString(std::string(bad));
  }
  const std::string_view mixed = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xFF";
  EXPECT_EQ(Utf8SequenceLength(mixed, 0), 1u);
  EXPECT_EQ(Utf8SequenceLength(mixed, 1), 2u);
  EXPECT_EQ(Utf8SequenceLength(mixed, 3), 3u);
  EXPECT_EQ(Utf8SequenceLength(mixed, 6), 4u);
  EXPECT_EQ(Utf8SequenceLength(mixed, 10), 0u);
  EXPECT_EQ(Utf8SequenceLength(mixed, 2), 0u);  // a continuation byte alone
}

TEST(AfterReplyTest, DefersOnlyUnderARunnerAndAnAllowAndNeverDropsATask) {
  std::vector<std::string> ran;
  auto task = [&ran](std::string name) { return [&ran, name] { ran.push_back(name); }; };
  EXPECT_FALSE(after_reply::Deferrable());  // neither
  after_reply::Defer(task("at once"));      // not deferrable: runs now
  EXPECT_EQ(ran, (std::vector<std::string>{"at once"}));
  ran.clear();
  {
    after_reply::Allow allow;
    EXPECT_FALSE(after_reply::Deferrable());  // no runner
  }
  {
    after_reply::Runner runner;
    EXPECT_FALSE(after_reply::Deferrable());  // not allowed
    {
      after_reply::Allow allow;
      ASSERT_TRUE(after_reply::Deferrable());
      after_reply::Defer(task("a"));
      after_reply::Defer([&] {
        ran.push_back("b");
        // A deferred task runs after the reply, outside the Allow: what it starts is not deferred.
        EXPECT_FALSE(after_reply::Deferrable());
      });
    }
    EXPECT_TRUE(ran.empty());
    runner.RunAll();
    EXPECT_EQ(ran, (std::vector<std::string>{"a", "b"}));
    after_reply::Allow allow;
    after_reply::Defer(task("c"));
    EXPECT_EQ(ran.size(), 2u);
  }  // the runner's end runs what is left
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b", "c"}));
  after_reply::Allow allow;
  EXPECT_FALSE(after_reply::Deferrable());  // the runner is gone
}

}  // namespace
}  // namespace durable
