// Robustness of the parsers: invalid JSON, hostile nesting, timestamp spellings, big payloads.
#include <gtest/gtest.h>

#include <string>

#include "durable/wire/wire.h"
#include "durable/wire/wire_test_util.h"

namespace durable::wire {
namespace {

using testing::kT0;

std::string StepJson(const std::string& start_timestamp) {
  return R"({"Id":"a","Type":"STEP","Status":"STARTED","StartTimestamp":)" + start_timestamp + "}";
}

TEST(ParseTest, InvalidJsonIsInvalidArgument) {
  for (const char* text : {"", "{", "{\"CheckpointToken\":}", "[]", "nul", "{} trailing"}) {
    SCOPED_TRACE(text);
    Result<model::CheckpointRequest> r = ParseCheckpointRequest(text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(ParseCheckpointRequest("[]").status().message(),
            "JSON document must be an object, got array");
}

TEST(ParseTest, DeepNestingIsRejectedWithoutCrashing) {
  std::string deep(200'000, '[');
  deep += std::string(200'000, ']');
  Result<model::CheckpointRequest> r = ParseCheckpointRequest(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "JSON nesting is too deep");
  std::string member = R"({"CheckpointToken":"t","X":)" + deep + "}";
  EXPECT_FALSE(ParseCheckpointRequest(member).ok());
  EXPECT_FALSE(ParseEvent(std::string(100'000, '{')).ok());
}

TEST(ParseTest, BracketsInsideStringsDoNotCountAsNesting) {
  std::string payload(1000, '[');
  Result<model::OperationUpdate> u = ParseOperationUpdate(
      R"({"Id":"a","Type":"STEP","Action":"SUCCEED","Payload":")" + payload + "\"}");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->payload, payload);
}

TEST(ParseTest, SecondsTimestampsAcceptNumbersStringsAndIso) {
  struct Case {
    std::string text;
    int64_t ms;
  };
  for (const Case& c :
       {Case{"1769481309.631", kT0}, Case{"1769481309", kT0 - 631}, Case{"1769481309.6314", kT0},
        Case{"\"1769481309.631\"", kT0}, Case{"\"2026-01-27T02:35:09.631Z\"", kT0},
        Case{"\"2026-01-27T02:35:09.631123Z\"", kT0},
        Case{"\"2026-01-27T04:35:09.631+02:00\"", kT0}, Case{"\"2026-01-27 02:35:09Z\"", kT0 - 631},
        Case{"1.769481309631e9", kT0}}) {
    SCOPED_TRACE(c.text);
    Result<model::Operation> op = ParseOperation(StepJson(c.text), TimeUnit::kSeconds);
    ASSERT_TRUE(op.ok()) << op.status().ToString();
    EXPECT_EQ(op->start_timestamp, c.ms);
  }
}

TEST(ParseTest, MillisTimestampsAcceptNumbersStringsAndIso) {
  for (const std::string& text :
       {std::string("1769481309631"), std::string("1769481309631.0"),
        std::string("\"1769481309631\""), std::string("\"2026-01-27T02:35:09.631Z\"")}) {
    SCOPED_TRACE(text);
    Result<model::Operation> op = ParseOperation(StepJson(text), TimeUnit::kMillis);
    ASSERT_TRUE(op.ok()) << op.status().ToString();
    EXPECT_EQ(op->start_timestamp, kT0);
  }
}

TEST(ParseTest, BadTimestampsAreRejected) {
  for (const std::string& text :
       {std::string("true"), std::string("\"yesterday\""), std::string("\"2026-13-01T00:00:00Z\""),
        std::string("[1]"), std::string("1e300"), std::string("\"2026-01-27T02:35\"")}) {
    SCOPED_TRACE(text);
    Result<model::Operation> op = ParseOperation(StepJson(text), TimeUnit::kSeconds);
    ASSERT_FALSE(op.ok());
    EXPECT_EQ(op.status().message(), "StartTimestamp must be a timestamp");
  }
}

TEST(ParseTest, IntegersMustBeWholeAndInRange) {
  auto attempt = [](const std::string& v) {
    return ParseOperation(R"({"Id":"a","Type":"STEP","Status":"STARTED","StartTimestamp":1,
        "StepDetails":{"Attempt":)" +
                              v + "}}",
                          TimeUnit::kSeconds);
  };
  ASSERT_TRUE(attempt("3.0").ok());
  EXPECT_EQ(attempt("3.0")->step_details->attempt, 3);
  EXPECT_EQ(attempt("3.5").status().message(), "StepDetails.Attempt must be an integer");
  EXPECT_EQ(attempt("4294967296").status().message(),
            "StepDetails.Attempt must be a 32-bit integer");
  EXPECT_EQ(attempt("18446744073709551615").status().message(),
            "StepDetails.Attempt must be an integer in range");
}

TEST(ParseTest, NullMembersCountAsAbsent) {
  Result<model::Operation> op = ParseOperation(
      R"({"Id":"a","Type":"STEP","Status":"STARTED","StartTimestamp":1,"Name":null,
          "EndTimestamp":null,"StepDetails":null})",
      TimeUnit::kSeconds);
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  EXPECT_FALSE(op->name.has_value());
  EXPECT_FALSE(op->end_timestamp.has_value());
  EXPECT_FALSE(op->step_details.has_value());
}

TEST(ParseTest, SerializersNeverEmitNull) {
  model::Operation op;
  op.id = "a";
  op.step_details = model::StepDetails{};
  op.callback_details = model::CallbackDetails{};
  EXPECT_FALSE(testing::Contains(SerializeOperation(op, TimeUnit::kSeconds), "null"));
  EXPECT_FALSE(testing::Contains(SerializeOperationUpdate(model::OperationUpdate{}), "null"));
  EXPECT_FALSE(testing::Contains(SerializeGetExecutionResponse({}, true), "null"));
}

TEST(ParseTest, LargePayloadSurvivesRoundTrip) {
  model::OperationUpdate u;
  u.id = "exec";
  u.type = model::OperationType::kExecution;
  u.action = model::OperationAction::kSucceed;
  u.payload = "\"" + std::string(model::kMaxPayloadChars - 2, 'x') + "\"";
  Result<model::OperationUpdate> parsed = ParseOperationUpdate(SerializeOperationUpdate(u));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->payload->size(), model::kMaxPayloadChars);
}

TEST(ParseTest, IsValidJsonChecksSyntaxOnly) {
  EXPECT_TRUE(IsValidJson("{\"a\":[1,2,{\"b\":null}]}"));
  EXPECT_TRUE(IsValidJson("\"just a string\""));
  EXPECT_TRUE(IsValidJson(" 42 "));
  EXPECT_TRUE(IsValidJson(std::string(10'000, '[') + std::string(10'000, ']')));
  EXPECT_FALSE(IsValidJson(""));
  EXPECT_FALSE(IsValidJson("{'a':1}"));
  EXPECT_FALSE(IsValidJson("[1,]"));
  EXPECT_FALSE(IsValidJson("\"\xFF\""));
}

}  // namespace
}  // namespace durable::wire
