#include "durable/api/params.h"

#include <gtest/gtest.h>

namespace durable::api {
namespace {

TEST(ParamsTest, ParsesRfc3339WithFractionsAndOffsets) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2025-12-03T22:59:56Z"), 1764802796000);
  EXPECT_EQ(ParseRfc3339("2025-12-03T22:59:56.5Z"), 1764802796500);
  EXPECT_EQ(ParseRfc3339("2025-12-03T23:59:56.123+01:00"), 1764802796123);
  EXPECT_FALSE(ParseRfc3339("2025-12-03").has_value());
  EXPECT_FALSE(ParseRfc3339("2025-13-03T00:00:00Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2025-12-03T22:59:56Zjunk").has_value());
}

http::Request WithQuery(std::string k, std::string v) {
  http::Request r;
  r.query.emplace(std::move(k), std::move(v));
  return r;
}

TEST(ParamsTest, RejectsOutOfRangeAndNonNumericIntegers) {
  EXPECT_EQ(**IntParam(WithQuery("MaxItems", "10"), "MaxItems", 0, 1000), 10);
  EXPECT_FALSE(IntParam(WithQuery("MaxItems", "1001"), "MaxItems", 0, 1000).ok());
  EXPECT_FALSE(IntParam(WithQuery("MaxItems", "1x"), "MaxItems", 0, 1000).ok());
  EXPECT_FALSE(IntParam(http::Request{}, "MaxItems", 0, 1000)->has_value());
}

TEST(ParamsTest, BooleansAreTrueOrFalseOnly) {
  EXPECT_TRUE(*BoolParam(WithQuery("B", "TRUE"), "B", false));
  EXPECT_FALSE(*BoolParam(WithQuery("B", "false"), "B", true));
  EXPECT_FALSE(BoolParam(WithQuery("B", "yes"), "B", false).ok());
  EXPECT_TRUE(*BoolParam(http::Request{}, "B", true));
}

}  // namespace
}  // namespace durable::api
