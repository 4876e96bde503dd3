// Suite 1 (step): results, names, serdes, logging, replay, retry strategies, step semantics and
// process crashes inside a step.
#include <string>

#include "conformance/handlers/common.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {
namespace {

using sdk::StepConfig;

std::string Greet(const Json& event) { return "Hello, " + AsString(event) + "!"; }

// Retries only errors whose type ends with "TransientError" (1-15); `retry` false never retries
// them (1-16).
sdk::RetryStrategy OnTransient(bool retry) {
  return [retry](const model::ErrorObject& error, int attempt) {
    const std::string type = error.error_type.value_or("");
    const std::string suffix = "TransientError";
    bool transient = type.size() >= suffix.size() &&
                     type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
    return sdk::RetryDecision{retry && transient && attempt < 3, 1};
  };
}

Json Step1x4(DurableContext& ctx, const Json& event) {
  return ctx.Step([&] {
    Json tags = event.value("tags", Json::array());
    return Json{{"user", {{"name", event.value("name", "")}, {"tags", tags}}},
                {"count", tags.size()}};
  });
}

Json Step1x6(DurableContext& ctx, const Json& event) {
  StepConfig<std::string> config;
  config.serdes = sdk::Serdes<std::string>{
      [](const std::string& v) { return Json(ToUpper(v)).dump(); },
      [](const std::string& payload) { return Json::parse(payload).get<std::string>(); }};
  return ctx.Step(
      "", [&] { return AsString(event); }, config);
}

Json Step1x7(DurableContext& ctx, const Json& event) {
  return ctx.Step([&](StepContext& sc) {
    sc.logger().Info("Greeting step started for: " + AsString(event));
    std::string greeting = Greet(event);
    sc.logger().Info("Greeting step completed with: " + greeting);
    return greeting;
  });
}

Json Step1x10(DurableContext& ctx, const Json&) {
  StepConfig<std::string> config;
  config.retry_strategy = sdk::NoRetry();
  std::string outcome;
  try {
    ctx.Step(
        "",
        [](StepContext& sc) -> std::string {
          sc.logger().Info("step executed");
          Fail("permanent failure");
        },
        config);
  } catch (const sdk::StepError& e) {
    outcome = "caught: " + e.error_message();
  }
  ctx.Wait(std::chrono::seconds(1));
  return outcome;
}

// Fails while StepContext::attempt() < `succeed_on`, then returns `result`.
Json Flaky(DurableContext& ctx, int succeed_on, sdk::RetryStrategy retry, std::string result) {
  StepConfig<std::string> config;
  config.retry_strategy = std::move(retry);
  return ctx.Step(
      "",
      [&](StepContext& sc) {
        if (sc.attempt() < succeed_on) Fail("attempt " + std::to_string(sc.attempt()) + " failed");
        return result;
      },
      config);
}

Json Step1x15(DurableContext& ctx, bool retry) {
  StepConfig<std::string> config;
  config.retry_strategy = OnTransient(retry);
  return ctx.Step(
      "",
      [](StepContext& sc) -> std::string {
        if (sc.attempt() == 1) throw sdk::UserError("TransientError", "transient failure");
        return "recovered after transient error";
      },
      config);
}

// 1-17 / 1-18: the first execution of the step body kills the process after logging the input.
Json AtMostOnce(DurableContext& ctx, const Json& event, const std::string& name,
                sdk::RetryStrategy retry, const std::string& key) {
  StepConfig<std::string> config;
  config.semantics = sdk::StepSemantics::kAtMostOncePerRetry;
  config.retry_strategy = std::move(retry);
  const std::string arn = ctx.durable_execution_arn();
  return ctx.Step(
      name,
      [&](StepContext& sc) {
        sc.logger().Info("At-most-once step running with input: " + AsString(event));
        if (BumpAttemptCounter(arn, key) == 1) CrashProcess();
        return std::string("succeeded on second attempt");
      },
      config);
}

}  // namespace

void RegisterStepHandlers(Registry& r) {
  r.Add("1-1", [](DurableContext& ctx, const Json& event) -> Json {
    return ctx.Step([&] { return Greet(event); });
  });
  r.Add("1-2", [](DurableContext& ctx, const Json& event) -> Json {
    return ctx.Step("custom_step_name", [&] { return Greet(event); });
  });
  r.Add("1-3", [](DurableContext& ctx, const Json&) -> Json {
    std::string first = ctx.Step([] { return std::string("first"); });
    return ctx.Step([&] { return first + "_second"; });
  });
  r.Add("1-4", Step1x4);
  r.Add("1-5", [](DurableContext& ctx, const Json&) -> Json {
    return ctx.Step([] { return Json(nullptr); });
  });
  r.Add("1-6", Step1x6);
  r.Add("1-7", Step1x7);
  r.Add("1-8", [](DurableContext& ctx, const Json&) -> Json {
    std::string result = ctx.Step([] { return std::string("computed"); });
    ctx.Wait(std::chrono::seconds(2));
    return result;
  });
  r.Add("1-9", [](DurableContext& ctx, const Json&) -> Json {
    std::string result = ctx.Step([](StepContext& sc) {
      sc.logger().Info("step executed");
      return std::string("cached_value");
    });
    ctx.Wait(std::chrono::seconds(1));
    return result;
  });
  r.Add("1-10", Step1x10);
  r.Add("1-11", [](DurableContext& ctx, const Json&) -> Json {
    return Flaky(ctx, 2, FixedRetry(3, 1), "Operation succeeded");
  });
  r.Add("1-12", [](DurableContext& ctx, const Json&) -> Json {
    return Flaky(ctx, 100, FixedRetry(4, 1), "unreachable");
  });
  r.Add("1-13", [](DurableContext& ctx, const Json&) -> Json {
    return Flaky(ctx, 3, nullptr, "succeeded with the default retry strategy");
  });
  r.Add("1-14", [](DurableContext& ctx, const Json&) -> Json {
    sdk::RetryOptions options;
    options.max_attempts = 5;
    options.initial_delay_seconds = 2;
    options.backoff_rate = 3;
    options.jitter = sdk::Jitter::kNone;
    return Flaky(ctx, 3, sdk::ExponentialBackoff(options), "succeeded on attempt 3");
  });
  r.Add("1-15", [](DurableContext& ctx, const Json&) -> Json { return Step1x15(ctx, true); });
  r.Add("1-16", [](DurableContext& ctx, const Json&) -> Json { return Step1x15(ctx, false); });
  r.Add("1-17", [](DurableContext& ctx, const Json& event) -> Json {
    return AtMostOnce(ctx, event, "at_most_once_flaky_step", sdk::NoRetry(), "1-17");
  });
  r.Add("1-18", [](DurableContext& ctx, const Json& event) -> Json {
    return AtMostOnce(ctx, event, "", FixedRetry(3, 1), "1-18");
  });
  r.Add("1-19", [](DurableContext& ctx, const Json&) -> Json {
    return Flaky(ctx, 100, sdk::NoRetry(), "unreachable");
  });
  r.Add("1-20", [](DurableContext& ctx, const Json&) -> Json {
    std::string value;
    try {
      value = Flaky(ctx, 100, sdk::NoRetry(), "unreachable").get<std::string>();
    } catch (const sdk::StepError&) {
      value = "fallback_result";
    }
    return ctx.Step([&] { return value; });
  });
}

}  // namespace durable::conformance
