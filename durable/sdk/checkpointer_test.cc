#include "durable/sdk/checkpointer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "durable/sdk/errors.h"

namespace durable::sdk::internal {
namespace {

// Records requests; can fail the first N calls and checks that calls never overlap.
class RecordingClient : public CheckpointClient {
 public:
  Result<model::CheckpointResponse> Checkpoint(const std::string&,
                                               const model::CheckpointRequest& r) override {
    int now = ++in_flight;
    max_in_flight = std::max(max_in_flight.load(), now);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lock(mu);
    requests.push_back(r);
    --in_flight;
    if (fail_next > 0) {
      --fail_next;
      return Internal("500");
    }
    model::CheckpointResponse resp;
    resp.checkpoint_token = "t" + std::to_string(requests.size());
    return resp;
  }
  Result<model::StateResponse> GetState(const std::string&, const model::StateRequest&) override {
    return model::StateResponse{};
  }
  bool SendsClientTokens() const override { return client_tokens; }
  bool client_tokens = true;
  std::mutex mu;
  std::vector<model::CheckpointRequest> requests;
  std::atomic<int> in_flight{0}, max_in_flight{0};
  int fail_next = 0;
};

model::OperationUpdate StepUpdate(int i, size_t payload_bytes = 0) {
  model::OperationUpdate u;
  u.id = "op" + std::to_string(i);
  u.type = model::OperationType::kStep;
  u.action = model::OperationAction::kSucceed;
  if (payload_bytes) u.payload = std::string(payload_bytes, 'p');
  return u;
}

CheckpointerOptions NoBackoff() {
  CheckpointerOptions o;
  o.retry_backoff_ms = 0;
  return o;
}

TEST(CheckpointerTest, BatchesQueuedUpdatesUpTo750KiB) {
  RecordingClient client;
  Checkpointer cp(&client, "arn", "t0", {}, NoBackoff());
  cp.Enqueue(StepUpdate(1, 300 * 1024));
  cp.Enqueue(StepUpdate(2, 300 * 1024));
  cp.Enqueue(StepUpdate(3, 300 * 1024));
  cp.FlushAll();
  ASSERT_EQ(client.requests.size(), 2u);
  EXPECT_EQ(client.requests[0].updates.size(), 2u);
  EXPECT_EQ(client.requests[1].updates.size(), 1u);
  EXPECT_EQ(client.requests[0].checkpoint_token, "t0");
  EXPECT_EQ(client.requests[1].checkpoint_token, "t1");  // always the latest token
}

TEST(CheckpointerTest, RetriesReuseTheClientTokenAndNewCallsGetAFreshOne) {
  RecordingClient client;
  client.fail_next = 1;
  Checkpointer cp(&client, "arn", "t0", {}, NoBackoff());
  cp.Send(StepUpdate(1));
  cp.Send(StepUpdate(2));
  ASSERT_EQ(client.requests.size(), 3u);
  EXPECT_EQ(client.requests[0].client_token, client.requests[1].client_token);
  EXPECT_NE(client.requests[1].client_token, client.requests[2].client_token);
}

TEST(CheckpointerTest, AClientThatCannotLoseAnAnswerGetsNoClientToken) {
  RecordingClient client;
  client.client_tokens = false;  // as the in-process client to the engine
  client.fail_next = 1;
  Checkpointer cp(&client, "arn", "t0", {}, NoBackoff());
  cp.Send(StepUpdate(1));
  ASSERT_EQ(client.requests.size(), 2u);
  EXPECT_FALSE(client.requests[0].client_token.has_value());
  EXPECT_FALSE(client.requests[1].client_token.has_value());
}

TEST(CheckpointerTest, FailureIsStickyAndClassified) {
  RecordingClient client;
  client.fail_next = 100;
  Checkpointer cp(&client, "arn", "t0", {}, NoBackoff());
  try {
    cp.Send(StepUpdate(1));
    FAIL() << "expected TerminateSignal";
  } catch (const TerminateSignal& t) {
    EXPECT_EQ(t.scope, TerminateSignal::Scope::kInvocation);
  }
  EXPECT_THROW(cp.Enqueue(StepUpdate(2)), TerminateSignal);
}

TEST(CheckpointerTest, KeepsOneRequestInFlightAcrossThreads) {
  RecordingClient client;
  Checkpointer cp(&client, "arn", "t0", {}, NoBackoff());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) cp.Send(StepUpdate(t * 100 + i));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(client.max_in_flight.load(), 1);
  size_t updates = 0;
  for (const auto& r : client.requests) updates += r.updates.size();
  EXPECT_EQ(updates, 40u);
}

TEST(CheckpointerTest, ExecutionUpdateIsSentLastInItsOwnRequest) {
  RecordingClient client;
  Checkpointer cp(&client, "arn", "t0", {}, NoBackoff());
  cp.Enqueue(StepUpdate(1));
  model::OperationUpdate exec;
  exec.id = "x";
  exec.type = model::OperationType::kExecution;
  exec.action = model::OperationAction::kSucceed;
  cp.Enqueue(exec);
  cp.FlushAll();
  ASSERT_EQ(client.requests.size(), 2u);
  EXPECT_EQ(client.requests[1].updates[0].type, model::OperationType::kExecution);
}

}  // namespace
}  // namespace durable::sdk::internal
