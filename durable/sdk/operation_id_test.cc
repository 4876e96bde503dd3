#include "durable/sdk/operation_id.h"

#include <gtest/gtest.h>

namespace durable::sdk {
namespace {

TEST(OperationIdTest, MatchesJsSdkVectors) {
  EXPECT_EQ(HashOperationId("1"), "c4ca4238a0b92382");
  EXPECT_EQ(HashOperationId("2"), "c81e728d9d4c2f63");
  EXPECT_EQ(HashOperationId("3"), "eccbc87e4b5ce2fe");
  EXPECT_EQ(HashOperationId("1-1"), "ea66c06c1e1c05fa");
  EXPECT_EQ(HashOperationId("1-2"), "98c6f2c2287f4c73");
  EXPECT_EQ(HashOperationId("1-1-1"), "2f221a18eb863803");
  EXPECT_EQ(HashOperationId("2-1"), "8fbdbf5573b18fae");
}

TEST(OperationIdTest, RawIdsArePrefixedWithTheRawParentId) {
  EXPECT_EQ(RawOperationId("", 1), "1");
  EXPECT_EQ(RawOperationId("1", 2), "1-2");
  EXPECT_EQ(RawOperationId("1-1", 3), "1-1-3");
}

TEST(OperationIdTest, Md5HexIsFullLowerCaseDigest) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("1").size(), 32u);
}

}  // namespace
}  // namespace durable::sdk
