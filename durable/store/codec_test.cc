#include "durable/store/codec.h"

#include <gtest/gtest.h>

#include "durable/store/store_test_values.h"

namespace durable::store::codec {
namespace {

TEST(StoreCodecTest, RoundTripsEveryOperationTypeAndEvent) {
  for (const model::OperationRecord& rec : EveryOperationType()) {
    Result<model::OperationRecord> back = DecodeOperation(EncodeOperation(rec));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, rec);
  }
  model::Event ev = FullEvent(model::EventType::kInvocationCompleted, 42);
  Result<model::Event> back = DecodeEvent(EncodeEvent(ev));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, ev);
  model::Event minimal;
  EXPECT_EQ(DecodeEvent(EncodeEvent(minimal)).value(), minimal);
}

TEST(StoreCodecTest, RoundTripsNegativeAndLargeIntegers) {
  model::OperationRecord rec;
  rec.operation.start_timestamp = -1;
  rec.operation.end_timestamp = INT64_MIN;
  rec.meta.sequence = INT64_MAX;
  EXPECT_EQ(DecodeOperation(EncodeOperation(rec)).value(), rec);
}

TEST(StoreCodecTest, RejectsTruncatedTrailingOrWrongVersionBytes) {
  const std::string bytes = EncodeOperation(EveryOperationType()[4]);
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(DecodeOperation(bytes.substr(0, n)).status().code(), StatusCode::kInternal) << n;
  }
  EXPECT_FALSE(DecodeOperation(bytes + "x").ok());
  std::string wrong_version = bytes;
  wrong_version[0] = 9;
  EXPECT_FALSE(DecodeOperation(wrong_version).ok());
  EXPECT_FALSE(DecodeEvent("").ok());
}

}  // namespace
}  // namespace durable::store::codec
