#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "durable/base/ids.h"
#include "durable/base/macros.h"

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
  for (std::string s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
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

}  // namespace
}  // namespace durable
