#include "durable/sdk/runtime.h"

#include <gtest/gtest.h>

#include <mutex>

#include "durable/http/http.h"
#include "durable/sdk/memory_checkpoint_client.h"
#include "durable/wire/wire.h"

namespace durable::sdk {
namespace {

// Plays the Lambda Runtime API: hands out one envelope, records what the function posts back.
class FakeRuntimeApi {
 public:
  explicit FakeRuntimeApi(std::string envelope)
      : envelope_(std::move(envelope)), server_(http::ServerOptions{"127.0.0.1", 0}) {
    server_.Route("GET", {"2018-06-01", "runtime", "invocation", "next"},
                  [this](const http::Request&, http::Response& resp) {
                    resp.headers.emplace("Lambda-Runtime-Aws-Request-Id", "req-1");
                    resp.body = envelope_;
                  });
    server_.Route("POST", {"2018-06-01", "runtime"},
                  [this](const http::Request& req, http::Response& resp) {
                    std::lock_guard<std::mutex> lock(mu_);
                    posted_path = req.raw_path;
                    posted_body = req.body;
                    resp.status = 202;
                    resp.body = "{}";
                  });
    port_ = *server_.Start();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  std::string posted_path;
  std::string posted_body;

 private:
  std::mutex mu_;
  std::string envelope_;
  http::Server server_;
  int port_ = 0;
};

RuntimeOptions Options(const FakeRuntimeApi& api, CheckpointClient* client, std::string name) {
  RuntimeOptions o;
  o.runtime_api = api.address();
  o.handler_name = std::move(name);
  o.checkpoint_client = client;
  o.max_invocations = 1;
  o.run.log_sink = [](const std::string&) {};
  return o;
}

TEST(RuntimeTest, RunsTheSelectedHandlerAndPostsItsOutput) {
  MemoryCheckpointClient memory;
  FakeRuntimeApi api(wire::SerializeInvocationInput(memory.Start("{\"n\":20}")));
  std::map<std::string, Handler> handlers = {
      {"double",
       [](DurableContext& ctx, const Json& e) {
         return ctx.Step("x2", [&] { return e["n"].get<int>() * 2; });
       }},
      {"other", [](DurableContext&, const Json&) { return Json("wrong"); }}};
  EXPECT_EQ(RunLambdaRuntime(handlers, Options(api, &memory, "double")), 0);
  EXPECT_EQ(api.posted_path, "/2018-06-01/runtime/invocation/req-1/response");
  auto out = wire::ParseInvocationOutput(api.posted_body);
  ASSERT_TRUE(out.ok()) << api.posted_body;
  EXPECT_EQ(out->status, model::InvocationStatus::kSucceeded);
  EXPECT_EQ(out->result, "40");
}

TEST(RuntimeTest, InvocationScopedFailuresArePostedAsFunctionErrors) {
  MemoryCheckpointClient memory;
  FakeRuntimeApi api(wire::SerializeInvocationInput(memory.Start("{}")));
  memory.FailNextCheckpoint(InvalidToken("Invalid Checkpoint Token: old"));
  RuntimeOptions o = Options(api, &memory, "h");
  o.run.checkpoint_retry_backoff_ms = 0;
  RunLambdaRuntime([](DurableContext& ctx, const Json&) { return ctx.Step("s", [] { return 1; }); },
                   o);
  EXPECT_EQ(api.posted_path, "/2018-06-01/runtime/invocation/req-1/error");
  EXPECT_NE(api.posted_body.find("Invalid Checkpoint Token"), std::string::npos);
}

TEST(RuntimeTest, UnknownHandlerNameIsAnInitError) {
  MemoryCheckpointClient memory;
  FakeRuntimeApi api("{}");
  std::map<std::string, Handler> handlers = {
      {"a", [](DurableContext&, const Json&) { return Json(); }},
      {"b", [](DurableContext&, const Json&) { return Json(); }}};
  EXPECT_EQ(RunLambdaRuntime(handlers, Options(api, &memory, "c")), 1);
  EXPECT_EQ(api.posted_path, "/2018-06-01/runtime/init/error");
}

TEST(RuntimeTest, ExitsCleanlyWhenTheRuntimeApiIsGone) {
  int port;
  {
    http::Server s(http::ServerOptions{"127.0.0.1", 0});
    port = *s.Start();
    s.Stop();
  }
  MemoryCheckpointClient memory;
  RuntimeOptions o;
  o.runtime_api = "127.0.0.1:" + std::to_string(port);
  o.checkpoint_client = &memory;
  EXPECT_EQ(RunLambdaRuntime([](DurableContext&, const Json&) { return Json(); }, o), 0);
}

}  // namespace
}  // namespace durable::sdk
