#include "durable/sdk/operation_id.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

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

// The RFC 1321 test suite: empty, one block, the padding on its own block (56..63 bytes), and
// several blocks.
TEST(OperationIdTest, Md5HexMatchesTheRfcTestSuite) {
  EXPECT_EQ(Md5Hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5Hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(Md5Hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(Md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(Md5Hex("1234567890123456789012345678901234567890123456789012345678901234567890123456"
                   "7890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

// Repeated and concurrent hashing must not mix inputs.
TEST(OperationIdTest, RepeatedAndConcurrentHashingGivesTheSameIds) {
  std::vector<std::string> expected;
  for (int n = 1; n <= 200; ++n) expected.push_back(HashOperationId(RawOperationId("", n)));
  EXPECT_EQ(expected[0], "c4ca4238a0b92382");
  EXPECT_EQ(expected[2], "eccbc87e4b5ce2fe");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (int n = 1; n <= 200; ++n) {
          if (HashOperationId(RawOperationId("", n)) != expected[n - 1]) ++mismatches[t];
          if (Md5Hex("") != "d41d8cd98f00b204e9800998ecf8427e") ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(OperationIdTest, Md5HexIsFullLowerCaseDigest) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("1").size(), 32u);
}

}  // namespace
}  // namespace durable::sdk
