// Bad input over the real HTTP API: malformed JSON, wrong types, unknown ARNs and callback ids,
// stale tokens, illegal transitions, oversize payloads and 1,000 randomly mutated requests. Every
// answer must be an AWS-shaped error (X-Amzn-ErrorType + JSON message), the server must stay up,
// and the stored state must stay consistent.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "durable/api/lambda_routes.h"
#include "durable/base/ids.h"
#include "durable/engine/engine.h"
#include "durable/engine/engine_test_util.h"
#include "durable/http/http.h"
#include "durable/store/sqlite/sqlite_store.h"
#include "durable/wire/wire.h"

namespace durable {
namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;

constexpr char kFn[] = "Fn";

engine::InvocationResult Output(model::InvocationStatus status,
                                std::optional<std::string> result = std::nullopt) {
  engine::InvocationResult r;
  r.output = model::InvocationOutput{status, std::move(result), std::nullopt};
  return r;
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("durable-bad-input-" + NewUuid());
    std::filesystem::create_directories(dir_);
    auto store = store::OpenSqliteStore((dir_ / "state.db").string(), {});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    invoker_ = std::make_unique<engine::testing::FakeInvoker>();
    engine_ = engine::Engine::Create(store_.get(), invoker_.get(), SystemClock::Get(), {});
    engine_->RegisterFunction({kFn, {}, 60});
    ASSERT_TRUE(engine_->Start().ok());
    server_ = std::make_unique<http::Server>(http::ServerOptions{.port = 0});
    api::RegisterLambdaRoutes(*server_, *engine_, {});
    auto port = server_->Start();
    ASSERT_TRUE(port.ok());
    client_ = std::make_unique<http::Client>("http://127.0.0.1:" + std::to_string(*port));
  }

  void TearDown() override {
    client_.reset();  // close the keep-alive connection so Stop need not wait for it
    server_->Stop();
    engine_->Shutdown();
    std::filesystem::remove_all(dir_);
  }

  http::ClientResponse Send(const std::string& method, const std::string& path,
                            const std::string& body = "", http::Headers headers = {}) {
    auto r = client_->Send(method, path, body, headers);
    EXPECT_TRUE(r.ok()) << "server did not answer " << method << " " << path;
    return r.ok() ? *r : http::ClientResponse{};
  }

  // Asserts an AWS-shaped error: status, X-Amzn-ErrorType and a JSON body with a message.
  static void ExpectAwsError(const http::ClientResponse& r, int status, const std::string& type,
                             const std::string& message_prefix = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("X-Amzn-ErrorType").value_or(""), type) << r.body;
    auto body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.body;
    ASSERT_TRUE(body.contains("message")) << r.body;
    EXPECT_EQ(body["message"].get<std::string>().rfind(message_prefix, 0), 0u) << r.body;
  }

  // Starts an execution and takes its first invocation (the test now plays the SDK).
  engine::testing::FakeInvoker::Call StartAndTakeInvocation(const std::string& name) {
    http::Headers h{{"X-Amz-Invocation-Type", "Event"}, {"X-Amz-Durable-Execution-Name", name}};
    auto r = Send("POST", "/2015-03-31/functions/Fn/invocations", R"({"n":1})", h);
    EXPECT_EQ(r.status, 202) << r.body;
    auto inv = invoker_->WaitPop(milliseconds(5000));
    EXPECT_TRUE(inv.has_value());
    return std::move(*inv);
  }

  static std::string CheckpointPath(const std::string& arn) {
    return "/2025-12-01/durable-executions/" + PercentEncode(arn) + "/checkpoint";
  }

  http::ClientResponse Checkpoint(const std::string& arn, const std::string& token,
                                  const json& updates) {
    json body = {{"CheckpointToken", token}, {"Updates", updates}};
    return Send("POST", CheckpointPath(arn), body.dump());
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<engine::testing::FakeInvoker> invoker_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<http::Client> client_;
};

TEST_F(BadInputTest, MalformedAndMistypedCheckpointBodiesAreRejected) {
  auto inv = StartAndTakeInvocation("malformed");
  const std::string arn = inv.request.input.durable_execution_arn;
  for (
      std::string body :
      {"{", "[]", "null", "42", R"({"CheckpointToken": 5})",
       R"({"CheckpointToken": "t", "Updates": "x"})",
       R"({"CheckpointToken": "t", "Updates": [{"Id": 1}]})",
       R"({"CheckpointToken": "t", "Updates": [{"Id": "a", "Type": "STEP"}]})",
       R"({"CheckpointToken": "t", "Updates": [{"Id": "a", "Type": "NOPE", "Action": "START"}]})"}) {
    auto r = Send("POST", CheckpointPath(arn), body);
    ExpectAwsError(r, 400, "InvalidParameterValueException");
  }
  inv.done(Output(model::InvocationStatus::kSucceeded, "1"));
}

TEST_F(BadInputTest, UnknownArnsAndCallbackIdsGetAwsErrors) {
  const std::string arn =
      "arn:aws:lambda:us-east-1:123456789012:function:Fn:$LATEST/durable-execution/x/y";
  const std::string enc = PercentEncode(arn);
  ExpectAwsError(Send("GET", "/2025-12-01/durable-executions/" + enc), 404,
                 "ResourceNotFoundException");
  ExpectAwsError(Send("GET", "/2025-12-01/durable-executions/" + enc + "/history"), 404,
                 "ResourceNotFoundException");
  ExpectAwsError(Send("POST", "/2025-12-01/durable-executions/" + enc + "/stop"), 404,
                 "ResourceNotFoundException");
  ExpectAwsError(Checkpoint(arn, "dG9rZW4=", json::array()), 400, "InvalidParameterValueException",
                 "Invalid Checkpoint Token");
  ExpectAwsError(Send("GET", "/2025-12-01/durable-executions/" + enc + "/state?CheckpointToken=x"),
                 400, "InvalidParameterValueException", "Invalid Checkpoint Token");
  for (std::string id : {"bm9wZQ==", "%%%", "a"}) {
    auto r = Send("POST", "/2025-12-01/durable-execution-callbacks/" + id + "/succeed", "1");
    EXPECT_TRUE(r.status == 400 || r.status == 404) << r.status;
    EXPECT_TRUE(r.Header("X-Amzn-ErrorType").has_value());
  }
  ExpectAwsError(Send("POST", "/2015-03-31/functions/Nope/invocations", "{}"), 404,
                 "ResourceNotFoundException");
  ExpectAwsError(Send("GET", "/2025-12-01/functions/Fn/durable-executions?MaxItems=abc"), 400,
                 "InvalidParameterValueException");
  ExpectAwsError(Send("GET", "/2025-12-01/functions/Fn/durable-executions?Statuses=SLEEPING"), 400,
                 "InvalidParameterValueException");
}

TEST_F(BadInputTest, StaleAndForeignTokensAreRejected) {
  auto inv = StartAndTakeInvocation("stale");
  const std::string arn = inv.request.input.durable_execution_arn;
  const std::string first = inv.request.input.checkpoint_token;
  json start =
      json::array({{{"Id", "s1"}, {"Type", "STEP"}, {"SubType", "Step"}, {"Action", "START"}}});
  auto ok = Checkpoint(arn, first, start);
  ASSERT_EQ(ok.status, 200) << ok.body;
  // The first token is consumed: using it again (with another body) is a token error.
  ExpectAwsError(Checkpoint(arn, first, json::array()), 400, "InvalidParameterValueException",
                 "Invalid Checkpoint Token");
  ExpectAwsError(Checkpoint(arn, "Zm9yZ2Vk", json::array()), 400, "InvalidParameterValueException",
                 "Invalid Checkpoint Token");
  inv.done(Output(model::InvocationStatus::kSucceeded, "1"));
}

TEST_F(BadInputTest, IllegalTransitionsAreRejectedWithoutChangingState) {
  auto inv = StartAndTakeInvocation("illegal");
  const std::string arn = inv.request.input.durable_execution_arn;
  std::string token = inv.request.input.checkpoint_token;
  auto r = Checkpoint(
      arn, token,
      json::array({{{"Id", "w1"},
                    {"Type", "WAIT"},
                    {"Action", "START"},
                    {"WaitOptions", {{"WaitSeconds", 60}}}},
                   {{"Id", "s1"}, {"Type", "STEP"}, {"Action", "START"}},
                   {{"Id", "s1"}, {"Type", "STEP"}, {"Action", "SUCCEED"}, {"Payload", "1"}}}));
  ASSERT_EQ(r.status, 200) << r.body;
  token = json::parse(r.body)["CheckpointToken"];
  auto history_before =
      Send("GET", "/2025-12-01/durable-executions/" + PercentEncode(arn) + "/history").body;

  struct Case {
    json updates;
    std::string message;
  };
  std::vector<Case> cases = {
      {json::array({{{"Id", "w1"},
                     {"Type", "WAIT"},
                     {"Action", "START"},
                     {"WaitOptions", {{"WaitSeconds", 5}}}}}),
       "Cannot start a WAIT that already exists."},
      {json::array({{{"Id", "s1"}, {"Type", "STEP"}, {"Action", "SUCCEED"}, {"Payload", "2"}}}),
       "Invalid current STEP state to close."},
      {json::array({{{"Id", "s1"}, {"Type", "STEP"}, {"Action", "START"}}}),
       "Invalid current STEP state to start."},
      {json::array({{{"Id", "w2"}, {"Type", "WAIT"}, {"Action", "SUCCEED"}}}),
       "Invalid action for the given operation type."},
      {json::array({{{"Id", "x"}, {"Type", "EXECUTION"}, {"Action", "SUCCEED"}},
                    {{"Id", "y"}, {"Type", "STEP"}, {"Action", "START"}}}),
       "EXECUTION checkpoint must be the last update."},
      {json::array({{{"Id", "c"}, {"Type", "STEP"}, {"Action", "START"}, {"ParentId", "nope"}}}),
       "Invalid parent operation id."},
      {json::array({{{"Id", "s2"}, {"Type", "STEP"}, {"Action", "RETRY"}}}),
       "Invalid StepOptions for the given action."},
  };
  for (const auto& c : cases) {
    auto bad = Checkpoint(arn, token, c.updates);
    ExpectAwsError(bad, 400, "InvalidParameterValueException", c.message);
  }
  // Nothing of the rejected batches was applied (the token is still valid too).
  EXPECT_EQ(Send("GET", "/2025-12-01/durable-executions/" + PercentEncode(arn) + "/history").body,
            history_before);
  EXPECT_EQ(Checkpoint(arn, token, json::array()).status, 200);
  inv.done(Output(model::InvocationStatus::kSucceeded, "1"));
}

TEST_F(BadInputTest, OversizePayloadsAreRefused) {
  std::string big(7 * 1024 * 1024, 'x');
  std::string big_json = "\"" + big + "\"";
  ExpectAwsError(Send("POST", "/2015-03-31/functions/Fn/invocations", big_json), 413,
                 "RequestEntityTooLargeException");
  auto inv = StartAndTakeInvocation("oversize");
  const std::string arn = inv.request.input.durable_execution_arn;
  std::string payload(model::kMaxPayloadChars + 1, 'y');
  ExpectAwsError(
      Checkpoint(
          arn, inv.request.input.checkpoint_token,
          json::array(
              {{{"Id", "s"}, {"Type", "STEP"}, {"Action", "SUCCEED"}, {"Payload", payload}}})),
      400, "InvalidParameterValueException");
  std::string huge(17 * 1024 * 1024, 'z');
  auto r = Send("POST", CheckpointPath(arn), huge);
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.Header("X-Amzn-ErrorType").has_value());
  inv.done(Output(model::InvocationStatus::kSucceeded, "1"));
}

// Random mutations of valid requests: byte flips, truncation, member deletion and type changes.
class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  std::string Mutate(const std::string& valid) {
    switch (Pick(5)) {
      case 0: {  // flip bytes
        std::string s = valid;
        for (int i = 0, n = 1 + Pick(4); i < n && !s.empty(); ++i) {
          s[Pick(s.size())] = static_cast<char>(Pick(256));
        }
        return s;
      }
      case 1:
        return valid.substr(0, Pick(valid.size() + 1));
      default: {
        json j = json::parse(valid, nullptr, false);
        if (j.is_discarded()) return valid;
        MutateJson(j, 0);
        return j.dump(-1, ' ', false, json::error_handler_t::replace);
      }
    }
  }

 private:
  size_t Pick(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  json RandomValue() {
    switch (Pick(8)) {
      case 0:
        return nullptr;
      case 1:
        return static_cast<int64_t>(rng_());
      case 2:
        return -1;
      case 3:
        return "\xc3\x28 invalid utf8?";
      case 4:
        return json::array({1, "two"});
      case 5:
        return json::object({{"Id", 7}});
      case 6:
        return std::string(300, 'n');
      default:
        return 1e308;
    }
  }

  void MutateJson(json& j, int depth) {
    if (j.is_object() && !j.empty()) {
      auto it = j.begin();
      std::advance(it, Pick(j.size()));
      if (Pick(3) == 0) {
        j.erase(it);
      } else if (depth < 3 && (it->is_object() || it->is_array()) && Pick(2) == 0) {
        MutateJson(*it, depth + 1);
      } else {
        *it = RandomValue();
      }
    } else if (j.is_array() && !j.empty()) {
      MutateJson(j[Pick(j.size())], depth + 1);
    } else {
      j = RandomValue();
    }
  }

  std::mt19937 rng_;
};

TEST_F(BadInputTest, ThousandMutatedRequestsGetAwsAnswersAndStateStaysConsistent) {
  auto inv = StartAndTakeInvocation("fuzz");
  const std::string arn = inv.request.input.durable_execution_arn;
  const std::string enc = PercentEncode(arn);
  const std::string token = inv.request.input.checkpoint_token;
  json valid_checkpoint = {
      {"CheckpointToken", token},
      {"Updates", json::array({{{"Id", "a"},
                                {"Type", "STEP"},
                                {"SubType", "Step"},
                                {"Action", "START"},
                                {"Name", "n"}},
                               {{"Id", "b"},
                                {"Type", "WAIT"},
                                {"Action", "START"},
                                {"WaitOptions", {{"WaitSeconds", 30}}}},
                               {{"Id", "c"},
                                {"Type", "CALLBACK"},
                                {"Action", "START"},
                                {"CallbackOptions", {{"TimeoutSeconds", 30}}}}})}};
  json valid_error = {{"ErrorType", "E"}, {"ErrorMessage", "m"}};
  struct Target {
    std::string method, path, body;
    http::Headers headers;
  };
  std::vector<Target> targets = {
      {"POST", CheckpointPath(arn), valid_checkpoint.dump()},
      {"POST", "/2025-12-01/durable-executions/" + enc + "/stop", valid_error.dump()},
      {"POST", "/2025-12-01/durable-execution-callbacks/Y2I%3D/fail", valid_error.dump()},
      {"POST",
       "/2015-03-31/functions/Fn/invocations",
       R"({"order":{"id":42,"items":[1,2]}})",
       {{"X-Amz-Invocation-Type", "Event"}}},
  };
  Mutator mutator(20261126);
  std::mt19937 rng(7);
  int answered = 0, accepted = 0, refused = 0;
  for (int i = 0; i < 1000; ++i) {
    const Target& t = targets[rng() % targets.size()];
    std::string path = t.path;
    if (rng() % 10 == 0) path += "?MaxItems=" + std::to_string(static_cast<int32_t>(rng()));
    auto r = client_->Send(t.method, path, mutator.Mutate(t.body), t.headers);
    ASSERT_TRUE(r.ok()) << "server stopped answering at request " << i;
    ++answered;
    (r->status < 300 ? accepted : refused)++;
    EXPECT_LT(r->status, 500) << "server fault on mutated input: " << r->body;
    if (r->status >= 400) {
      EXPECT_TRUE(r->Header("X-Amzn-ErrorType").has_value()) << r->status << " " << r->body;
      auto body = json::parse(r->body, nullptr, false);
      EXPECT_TRUE(body.is_object() && body.contains("message")) << r->body;
    }
  }
  EXPECT_EQ(answered, 1000);
  // The mutations must exercise both paths, or the test proves little.
  EXPECT_GT(accepted, 0);
  EXPECT_GT(refused, 500);
  inv.done(Output(model::InvocationStatus::kPending));

  // Consistency: every execution's history is 1..n with ExecutionStarted first, and a fresh
  // store opened on the same file sees exactly what the engine serves.
  auto reopened = store::OpenSqliteStore((dir_ / "state.db").string(), {});
  ASSERT_TRUE(reopened.ok());
  model::ListRequest all;
  all.function_name = kFn;
  all.max_items = 1000;
  auto list = engine_->ListExecutions(all);
  ASSERT_TRUE(list.ok());
  ASSERT_FALSE(list->executions.empty());
  for (const auto& ex : list->executions) {
    auto events = (*reopened)->Events(ex.arn, 0, 0);
    ASSERT_TRUE(events.ok());
    ASSERT_FALSE(events->empty());
    EXPECT_EQ(events->front().type, model::EventType::kExecutionStarted);
    for (size_t k = 0; k < events->size(); ++k) EXPECT_EQ((*events)[k].event_id, int64_t(k + 1));
    auto served = engine_->GetHistory(ex.arn, {});
    ASSERT_TRUE(served.ok());
    EXPECT_EQ(served->events.size(), events->size()) << ex.arn;
    auto snap = (*reopened)->Load(ex.arn);
    ASSERT_TRUE(snap.ok());
    EXPECT_EQ(snap->operations.front().operation.type, model::OperationType::kExecution);
  }
}

}  // namespace
}  // namespace durable
