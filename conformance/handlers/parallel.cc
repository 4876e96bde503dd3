// Suite 8 (parallel): branches as child contexts — call forms, result types, completion policies
// (fail-fast, min-successful, tolerated count/percentage), concurrency, FLAT nesting, suspension
// inside a branch, item serdes, validation and nesting.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "conformance/handlers/common.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {
namespace {

using sdk::Branch;
using sdk::ParallelConfig;
using Fn = std::function<Json(DurableContext&)>;

ParallelConfig<Json> Sequential() {
  ParallelConfig<Json> config;
  config.max_concurrency = 1;
  return config;
}

Fn Returns(Json value) {
  return [value](DurableContext&) { return value; };
}
Fn Throws(const std::string& message) {
  return [message](DurableContext&) -> Json { Fail(message); };
}
Fn StepReturning(std::string value) {
  return [value](DurableContext& c) -> Json { return c.Step([&] { return value; }); };
}

Json Results(const sdk::BatchResult<Json>& batch) { return batch.Results(); }

// Runs `fns` one at a time under `completion` and projects the batch result onto `fields`.
Json Policy(DurableContext& ctx, const std::string& name, std::vector<Fn> fns,
            sdk::CompletionConfig completion, std::initializer_list<const char*> fields) {
  auto config = Sequential();
  config.completion = completion;
  return Projection(ctx.Parallel<Json>(name, std::move(fns), config), fields);
}

sdk::CompletionConfig ToleratedCount(int n) { return {std::nullopt, n, std::nullopt}; }
sdk::CompletionConfig ToleratedPercentage(double p) { return {std::nullopt, std::nullopt, p}; }

Json Parallel8x14(DurableContext& ctx, const Json&) {
  std::vector<Fn> fns = {StepReturning("b0"), [](DurableContext& c) -> Json {
                           c.Wait(std::chrono::seconds(2));
                           return "b1";
                         }};
  return Results(ctx.Parallel<Json>("replay", std::move(fns), Sequential()));
}

Json Parallel8x15(DurableContext& ctx, const Json&) {
  ParallelConfig<std::string> config;
  config.max_concurrency = 1;
  config.item_serdes =
      sdk::Serdes<std::string>{[](const std::string& v) {
                                 return Json{{"wrapped", v}}.dump();
                               },
                               [](const std::string& payload) {
                                 return Json::parse(payload).at("wrapped").get<std::string>();
                               }};
  std::vector<std::function<std::string(DurableContext&)>> fns = {
      [](DurableContext&) { return std::string("x"); },
      [](DurableContext&) { return std::string("y"); }};
  return ctx.Parallel<std::string>("serde", std::move(fns), config).Results();
}

Json Parallel8x20(DurableContext& ctx, const Json&) {
  auto config = Sequential();
  config.completion = ToleratedCount(1);
  auto batch = ctx.Parallel<Json>(
      "accessors", std::vector<Fn>{Returns("a"), Throws("branch 1 failed"), Returns("c")}, config);
  return Json{{"hasFailure", batch.has_failure()},
              {"successCount", batch.Succeeded().size()},
              {"failureCount", batch.Failed().size()},
              {"errorCount", batch.Errors().size()}};
}

Json Parallel8x21(DurableContext& ctx, const Json&) {
  std::vector<Fn> outer = {[](DurableContext& branch) -> Json {
    std::vector<Fn> inner = {StepReturning("i1"), StepReturning("i2")};
    return Results(branch.Parallel<Json>("inner", std::move(inner), Sequential()));
  }};
  return Results(ctx.Parallel<Json>("outer", std::move(outer), Sequential()));
}

}  // namespace

void RegisterParallelHandlers(Registry& r) {
  r.Add("8-1", [](DurableContext& ctx, const Json&) -> Json {
    std::vector<Fn> fns = {StepReturning("task-1"), StepReturning("task-2")};
    return Results(ctx.Parallel<Json>("parallel", std::move(fns), Sequential()));
  });
  r.Add("8-2", [](DurableContext& ctx, const Json&) -> Json {
    return Results(
        ctx.Parallel<Json>("", std::vector<Fn>{Returns("alpha"), Returns("beta")}, Sequential()));
  });
  r.Add("8-3", [](DurableContext& ctx, const Json&) -> Json {
    std::vector<Branch<Json>> branches = {{"first", Returns("one")}, {"second", Returns("two")}};
    return Results(ctx.Parallel<Json>("named", std::move(branches), Sequential()));
  });
  r.Add("8-4", [](DurableContext& ctx, const Json&) -> Json {
    std::vector<Fn> fns = {Returns("hello"), Returns(42), Returns(Json{{"k", "v"}})};
    return Results(ctx.Parallel<Json>("hetero", std::move(fns), Sequential()));
  });
  r.Add("8-5", [](DurableContext& ctx, const Json&) -> Json {
    return Results(ctx.Parallel<Json>("empty", std::vector<Fn>{}));
  });
  r.Add("8-6", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "failfast", {Returns("ok"), Throws("branch 1 failed"), Returns("never")},
                  ToleratedCount(0),
                  {"completionReason", "status", "successCount", "failureCount", "totalCount"});
  });
  r.Add("8-7", [](DurableContext& ctx, const Json&) -> Json {
    auto config = Sequential();
    config.completion = ToleratedCount(0);
    auto batch = ctx.Parallel<Json>(
        "throwing", std::vector<Fn>{Throws("branch 0 failed"), Returns("never")}, config);
    batch.ThrowIfError();
    return Results(batch);
  });
  r.Add("8-8", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "min-successful", {Returns("a"), Returns("b"), Returns("c"), Returns("d")},
                  {2, std::nullopt, std::nullopt},
                  {"completionReason", "successCount", "totalCount"});
  });
  r.Add("8-9", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "tolerated", {Returns("a"), Throws("branch 1 failed"), Returns("c")},
                  ToleratedCount(1),
                  {"completionReason", "status", "successCount", "failureCount", "totalCount"});
  });
  r.Add("8-10", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "tolerated-exceeded",
                  {Throws("branch 0 failed"), Throws("branch 1 failed"), Returns("never")},
                  ToleratedCount(1),
                  {"completionReason", "successCount", "failureCount", "totalCount"});
  });
  r.Add("8-11", [](DurableContext& ctx, const Json&) -> Json {
    ParallelConfig<Json> config;
    config.max_concurrency = 2;
    std::vector<Fn> fns = {Returns("r0"), Returns("r1"), Returns("r2")};
    return Results(ctx.Parallel<Json>("concurrent", std::move(fns), config));
  });
  r.Add("8-12", [](DurableContext& ctx, const Json&) -> Json {
    auto config = Sequential();
    config.nesting = sdk::Nesting::kFlat;
    std::vector<Fn> fns = {StepReturning("fa"), StepReturning("fb")};
    return Results(ctx.Parallel<Json>("flat", std::move(fns), config));
  });
  r.Add("8-13", [](DurableContext& ctx, const Json&) {
    return Policy(
        ctx, "tolerated-pct",
        {Throws("branch 0 failed"), Throws("branch 1 failed"), Returns("c"), Returns("d")},
        ToleratedPercentage(25),
        {"completionReason", "successCount", "failureCount", "totalCount"});
  });
  r.Add("8-14", Parallel8x14);
  r.Add("8-15", Parallel8x15);
  r.Add("8-16", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "all-fail", {Throws("b0 failed"), Throws("b1 failed"), Throws("b2 failed")},
                  ToleratedCount(3),
                  {"completionReason", "status", "successCount", "failureCount", "totalCount"});
  });
  r.Add("8-17", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "min-not-reached", {Returns("a"), Throws("branch 1 failed"), Returns("c")},
                  {3, std::nullopt, std::nullopt},
                  {"completionReason", "status", "successCount", "failureCount", "totalCount"});
  });
  r.Add("8-18", [](DurableContext& ctx, const Json&) {
    return Policy(
        ctx, "combined", {Throws("b0 failed"), Throws("b1 failed"), Returns("c"), Returns("d")},
        {3, 1, std::nullopt}, {"completionReason", "successCount", "failureCount", "totalCount"});
  });
  r.Add("8-19", [](DurableContext& ctx, const Json&) -> Json {
    ParallelConfig<Json> config;
    config.max_concurrency = 0;
    return Results(
        ctx.Parallel<Json>("bad-concurrency", std::vector<Fn>{Returns(1), Returns(2)}, config));
  });
  r.Add("8-20", Parallel8x20);
  r.Add("8-21", Parallel8x21);
  r.Add("8-22", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "pct-boundary",
                  {Throws("branch 0 failed"), Returns("b"), Returns("c"), Returns("d")},
                  ToleratedPercentage(25),
                  {"completionReason", "status", "successCount", "failureCount", "totalCount"});
  });
}

}  // namespace durable::conformance
