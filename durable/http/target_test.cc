#include "durable/http/target.h"

#include <gtest/gtest.h>

namespace durable::http {
namespace {

using Segments = std::vector<std::string>;

TEST(TargetTest, SplitsBeforeDecodingSoEncodedSlashStaysInOneSegment) {
  EXPECT_EQ(SplitPathSegments("/a/arn%3Aaws%2Ffn/b"), (Segments{"a", "arn:aws/fn", "b"}));
}

TEST(TargetTest, IgnoresLeadingAndTrailingSlashButKeepsInteriorEmptySegments) {
  EXPECT_EQ(SplitPathSegments("/"), Segments{});
  EXPECT_EQ(SplitPathSegments(""), Segments{});
  EXPECT_EQ(SplitPathSegments("/a/b/"), (Segments{"a", "b"}));
  EXPECT_EQ(SplitPathSegments("/a//b"), (Segments{"a", "", "b"}));
}

TEST(TargetTest, PlusInPathSegmentIsNotASpace) {
  EXPECT_EQ(SplitPathSegments("/a+b"), Segments{"a+b"});
}

TEST(TargetTest, ParsesQueryWithRepeatedKeysAndPlusAsSpace) {
  auto q = ParseQueryString("a=1&b=x+y%2Bz&a=2&flag&=empty&&c=%3D");
  ASSERT_EQ(q.count("a"), 2u);
  auto [begin, end] = q.equal_range("a");
  EXPECT_EQ(begin->second, "1");
  EXPECT_EQ(std::next(begin)->second, "2");
  EXPECT_EQ(q.find("b")->second, "x y+z");
  EXPECT_EQ(q.find("flag")->second, "");
  EXPECT_EQ(q.find("")->second, "empty");
  EXPECT_EQ(q.find("c")->second, "=");
  EXPECT_EQ(q.size(), 6u);
}

TEST(TargetTest, SeparatesPathFromQuery) {
  ParsedTarget t = ParseTarget("/fn/x%2Fy?Marker=a%2Fb&MaxItems=5");
  EXPECT_EQ(t.raw_path, "/fn/x%2Fy");
  EXPECT_EQ(t.segments, (Segments{"fn", "x/y"}));
  EXPECT_EQ(t.query.find("Marker")->second, "a/b");
  EXPECT_EQ(t.query.find("MaxItems")->second, "5");
  EXPECT_TRUE(ParseTarget("/only/path").query.empty());
}

}  // namespace
}  // namespace durable::http
