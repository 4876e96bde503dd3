#include "durable/sdk/plugin.h"

#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>

#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using testing::Harness;

class RecordingPlugin : public Plugin {
 public:
  void OnInvocationStart(const InvocationInfo& i) override {
    Add("invocation-start first=" + std::to_string(i.is_first_invocation) +
        " updated=" + std::to_string(i.updated_operations_count));
  }
  void OnInvocationEnd(const InvocationInfo& i) override {
    Add("invocation-end terminal=" + std::to_string(i.terminal));
  }
  void OnOperationStart(const OperationInfo& o) override {
    Add("op-start " + o.sub_type + " replay=" + std::to_string(o.is_replay));
  }
  void OnOperationEnd(const OperationInfo& o) override {
    Add("op-end " + o.sub_type + " " + std::string(model::ToString(*o.status)) +
        (o.end_timestamp ? " ended" : "") +
        (o.attempt ? " attempt=" + std::to_string(*o.attempt) : ""));
  }
  void OnAttemptStart(const AttemptInfo& a) override {
    Add("attempt-start " + std::to_string(a.attempt));
  }
  void OnAttemptEnd(const AttemptInfo& a) override {
    Add("attempt-end " + std::to_string(a.attempt) + " ok=" + std::to_string(a.succeeded));
  }
  void Add(std::string e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(std::move(e));
  }
  std::mutex mu;
  std::vector<std::string> events;
};

class ThrowingPlugin : public Plugin {
 public:
  void OnInvocationStart(const InvocationInfo&) override { throw std::runtime_error("x"); }
  void OnOperationStart(const OperationInfo&) override { throw std::runtime_error("x"); }
  void OnAttemptEnd(const AttemptInfo&) override { throw std::runtime_error("x"); }
};

TEST(PluginTest, HooksFireAroundInvocationsOperationsAndAttempts) {
  Harness h;
  auto plugin = std::make_shared<RecordingPlugin>();
  h.options.plugins = {std::make_shared<ThrowingPlugin>(), plugin};
  Handler handler = [](DurableContext& ctx, const Json&) {
    ctx.Step("s", [] { return 1; });
    ctx.Wait(std::chrono::seconds(1));
    return Json("done");
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  h.client.FireTimers(true);
  ASSERT_EQ(h.Next(handler).status, InvocationStatus::kSucceeded);
  std::vector<std::string> expected = {"invocation-start first=1 updated=0",
                                       "op-start Step replay=0",
                                       "attempt-start 1",
                                       "attempt-end 1 ok=1",
                                       "op-end Step SUCCEEDED ended attempt=1",
                                       "op-start Wait replay=0",
                                       "invocation-end terminal=0",
                                       "invocation-start first=0 updated=1",
                                       "op-end Wait SUCCEEDED ended",
                                       "invocation-end terminal=1"};
  EXPECT_EQ(plugin->events, expected);
}

}  // namespace
}  // namespace durable::sdk
