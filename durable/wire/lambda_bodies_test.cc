#include <gtest/gtest.h>

#include "durable/wire/wire.h"
#include "durable/wire/wire_test_util.h"

namespace durable::wire {
namespace {

using testing::ExpectJsonEq;

TEST(LambdaBodiesTest, FunctionErrorUsesRuntimeCasing) {
  model::ErrorObject full{"StepError", "boom", "{\"k\":1}", std::vector<std::string>{"at f"}};
  ExpectJsonEq(SerializeLambdaFunctionError(full),
               R"({"errorType":"StepError","errorMessage":"boom","errorData":"{\"k\":1}",
                   "stackTrace":["at f"]})");
  ExpectJsonEq(SerializeLambdaFunctionError({}), R"({"errorType":"Error","errorMessage":""})");
}

TEST(LambdaBodiesTest, InvokeSummaryEmbedsJsonPayloads) {
  ExpectJsonEq(SerializeInvokeSummary("arn:x", 202, std::nullopt, std::nullopt),
               R"({"StatusCode":202,"DurableExecutionArn":"arn:x"})");
  ExpectJsonEq(SerializeInvokeSummary("arn:x", 200, std::nullopt, std::string("{\"a\":[1]}")),
               R"({"StatusCode":200,"DurableExecutionArn":"arn:x","Payload":{"a":[1]}})");
  ExpectJsonEq(
      SerializeInvokeSummary("arn:x", 200, std::string("Unhandled"), std::string("not json")),
      R"({"StatusCode":200,"DurableExecutionArn":"arn:x","FunctionError":"Unhandled",
                   "Payload":"not json"})");
}

}  // namespace
}  // namespace durable::wire
