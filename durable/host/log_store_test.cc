#include "durable/host/log_store.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace durable::host {
namespace {

TEST(LogStoreTest, KeepsLinesPerFunctionAndFiltersBySince) {
  LogStore store(10);
  store.Append("a", {100, "stdout", "one"});
  store.Append("a", {200, "stderr", "two"});
  store.Append("b", {150, "stdout", "other"});
  auto lines = store.Since("a", 150);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].message, "two");
  EXPECT_EQ(lines[0].stream, "stderr");
  EXPECT_EQ(store.Since("a", 0).size(), 2u);
  EXPECT_TRUE(store.Since("missing", 0).empty());
}

TEST(LogStoreTest, DropsOldestLinesBeyondTheBound) {
  LogStore store(3);
  for (int i = 0; i < 5; ++i) store.Append("f", {i, "stdout", std::to_string(i)});
  auto lines = store.Since("f", 0);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines.front().message, "2");
  EXPECT_EQ(lines.back().message, "4");
}

TEST(LogStoreTest, SerializesValidJsonEvenForControlAndInvalidUtf8Bytes) {
  std::vector<LogLine> lines = {{1700000000123, "stdout", R"({"a":"b\"c"})"},
                                {5, "stderr", std::string("tab\there \x01 bad\xff ok \xc3\xa9")}};
  auto doc = nlohmann::json::parse(SerializeLogLines(lines));
  ASSERT_EQ(doc["lines"].size(), 2u);
  EXPECT_EQ(doc["lines"][0]["timestamp"], 1700000000123);
  EXPECT_EQ(doc["lines"][0]["stream"], "stdout");
  EXPECT_EQ(doc["lines"][0]["message"], R"({"a":"b\"c"})");
  EXPECT_EQ(doc["lines"][1]["message"], "tab\there \x01 bad\xef\xbf\xbd ok \xc3\xa9");
  EXPECT_EQ(nlohmann::json::parse(SerializeLogLines({})), nlohmann::json::parse(R"({"lines":[]})"));
}

TEST(LogStoreTest, ReplacesSurrogatesAndOverlongFormsToo) {
  // A UTF-16 surrogate (ED A0 80) and an overlong '/' (E0 80 AF) look like 3-byte sequences but
  // are not UTF-8; each of their bytes becomes U+FFFD so the body still parses.
  std::vector<LogLine> lines = {{1, "stdout",
                                 std::string("a\xed\xa0\x80"
                                             "b\xe0\x80\xaf")}};
  auto doc = nlohmann::json::parse(SerializeLogLines(lines));
  const std::string r = "\xef\xbf\xbd";
  EXPECT_EQ(doc["lines"][0]["message"], "a" + r + r + r + "b" + r + r + r);
}

TEST(LineSplitterTest, SplitsAcrossChunksAndFlushesTheRest) {
  LineSplitter splitter(8);
  EXPECT_EQ(splitter.Feed("ab"), std::vector<std::string>{});
  EXPECT_EQ(splitter.Feed("c\r\nde\n\nf"), (std::vector<std::string>{"abc", "de", ""}));
  EXPECT_EQ(splitter.Feed("0123456789"), (std::vector<std::string>{"f0123456"}));
  EXPECT_EQ(splitter.Flush(), (std::vector<std::string>{"789"}));
  EXPECT_TRUE(splitter.Flush().empty());
}

}  // namespace
}  // namespace durable::host
