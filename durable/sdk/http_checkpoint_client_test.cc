#include "durable/sdk/http_checkpoint_client.h"

#include <gtest/gtest.h>

#include <mutex>

#include "durable/http/http.h"
#include "durable/wire/wire.h"

namespace durable::sdk {
namespace {

constexpr char kArn[] = "arn:aws:lambda:us-east-1:1:function:f:$LATEST/durable-execution/n/id-1";

class FakeLambda {
 public:
  FakeLambda() : server_(http::ServerOptions{"127.0.0.1", 0}) {
    server_.Route("", {"2025-12-01", "durable-executions"},
                  [this](const http::Request& req, http::Response& resp) {
                    std::lock_guard<std::mutex> lock(mu_);
                    last = req;
                    resp.status = status;
                    if (!error_type.empty()) resp.headers.emplace("X-Amzn-ErrorType", error_type);
                    resp.body = body;
                  });
    port_ = *server_.Start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  int status = 200;
  std::string error_type;
  std::string body;
  http::Request last;

 private:
  std::mutex mu_;
  http::Server server_;
  int port_ = 0;
};

TEST(HttpCheckpointClientTest, PostsCheckpointToTheEncodedArnAndParsesTheResponse) {
  FakeLambda lambda;
  model::CheckpointResponse canned;
  canned.checkpoint_token = "next";
  model::Operation op;
  op.id = "c4ca4238a0b92382";
  op.type = model::OperationType::kWait;
  op.status = model::OperationStatus::kStarted;
  op.start_timestamp = 1'700'000'000'000;
  op.wait_details = model::WaitDetails{1'700'000'030'000};
  canned.operations.push_back(op);
  lambda.body = wire::SerializeCheckpointResponse(canned);

  HttpCheckpointClient client(lambda.url());
  model::OperationUpdate u;
  u.id = op.id;
  u.type = model::OperationType::kWait;
  u.action = model::OperationAction::kStart;
  u.wait_options = model::WaitOptions{30};
  auto resp = client.Checkpoint(kArn, {"tok", "client-1", {u}});
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->checkpoint_token, "next");
  ASSERT_EQ(resp->operations.size(), 1u);
  EXPECT_EQ(resp->operations[0].wait_details->scheduled_end_timestamp, 1'700'000'030'000);
  EXPECT_EQ(lambda.last.method, "POST");
  EXPECT_NE(lambda.last.raw_path.find("arn%3Aaws%3Alambda"), std::string::npos);
  EXPECT_NE(lambda.last.raw_path.find("%2Fdurable-execution%2F"), std::string::npos);
  auto sent = wire::ParseCheckpointRequest(lambda.last.body);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->client_token, "client-1");
  EXPECT_EQ(sent->updates[0].wait_options->wait_seconds, 30);
}

TEST(HttpCheckpointClientTest, GetsStateWithTokenMarkerAndPageSize) {
  FakeLambda lambda;
  lambda.body = wire::SerializeStateResponse({{}, std::string("m2")});
  HttpCheckpointClient client(lambda.url());
  auto resp = client.GetState(kArn, {"to+k/=", std::string("m1"), 1000});
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->next_marker, "m2");
  EXPECT_EQ(lambda.last.method, "GET");
  EXPECT_EQ(lambda.last.Query("CheckpointToken"), "to+k/=");
  EXPECT_EQ(lambda.last.Query("Marker"), "m1");
  EXPECT_EQ(lambda.last.Query("MaxItems"), "1000");
}

TEST(HttpCheckpointClientTest, ClassifiesErrorsLikeTheAwsSdks) {
  EXPECT_EQ(StatusFromAwsError(400, "InvalidParameterValueException",
                               R"({"message":"Invalid Checkpoint Token: stale"})")
                .code(),
            StatusCode::kInvalidToken);
  EXPECT_EQ(StatusFromAwsError(400, "InvalidParameterValueException",
                               R"({"message":"Inconsistent operation name."})")
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromAwsError(429, "TooManyRequestsException", "{}").code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromAwsError(500, "ServiceException", "{}").code(), StatusCode::kInternal);
  EXPECT_EQ(StatusFromAwsError(502, "KMSDisabledException", "{}").code(),
            StatusCode::kInvalidArgument);
}

TEST(HttpCheckpointClientTest, HttpErrorsBecomeClassifiedStatuses) {
  FakeLambda lambda;
  lambda.status = 400;
  lambda.error_type = "InvalidParameterValueException";
  lambda.body = R"({"message":"Invalid Checkpoint Token: superseded"})";
  HttpCheckpointClient client(lambda.url());
  auto resp = client.Checkpoint(kArn, {"tok", std::nullopt, {}});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), StatusCode::kInvalidToken);
  EXPECT_TRUE(IsInvocationScoped(resp.status()));
}

TEST(HttpCheckpointClientTest, UnreachableEndpointIsInvocationScoped) {
  int port;
  {
    http::Server s(http::ServerOptions{"127.0.0.1", 0});
    port = *s.Start();
    s.Stop();
  }
  HttpCheckpointClient client("http://127.0.0.1:" + std::to_string(port));
  auto resp = client.Checkpoint(kArn, {"tok", std::nullopt, {}});
  ASSERT_FALSE(resp.ok());
  EXPECT_TRUE(IsInvocationScoped(resp.status()));
}

}  // namespace
}  // namespace durable::sdk
