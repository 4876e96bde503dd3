// Suite 9 (map): one child context per item — call forms, item/index, completion policies,
// concurrency, FLAT nesting, item namer, per-item and operation-level serdes, suspension inside an
// iteration, large results (ReplayChildren) and replay of a completed map.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "conformance/handlers/common.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {
namespace {

using sdk::MapConfig;
using Mapper = std::function<Json(DurableContext&, const Json&, size_t)>;

MapConfig<Json, Json> Sequential() {
  MapConfig<Json, Json> config;
  config.max_concurrency = 1;
  return config;
}

std::vector<Json> Items(const Json& list) { return list.get<std::vector<Json>>(); }

Json RunMap(DurableContext& ctx, const std::string& name, const std::vector<Json>& items, Mapper fn,
            MapConfig<Json, Json> config = Sequential()) {
  return ctx.Map<Json, Json>(name, items, std::move(fn), config).Results();
}

// Items "i0".."i<n-1>"; the items whose index is in `failing` throw, the others return "ok".
Json Policy(DurableContext& ctx, const std::string& name, size_t n, std::vector<size_t> failing,
            sdk::CompletionConfig completion, std::initializer_list<const char*> fields) {
  std::vector<Json> items;
  for (size_t i = 0; i < n; ++i) items.push_back("i" + std::to_string(i));
  auto config = Sequential();
  config.completion = completion;
  auto batch = ctx.Map<Json, Json>(
      name, items,
      [failing](DurableContext&, const Json&, size_t index) -> Json {
        for (size_t f : failing) {
          if (f == index) Fail("item " + std::to_string(index) + " failed");
        }
        return "ok";
      },
      config);
  return Projection(batch, fields);
}

sdk::CompletionConfig ToleratedCount(int n) { return {std::nullopt, n, std::nullopt}; }

Json Upper(DurableContext&, const Json& item, size_t) { return ToUpper(AsString(item)); }

Json Map9x6(DurableContext& ctx, const Json&) {
  auto config = Sequential();
  config.completion = ToleratedCount(0);
  auto batch = ctx.Map<Json, Json>(
      "throwing", std::vector<Json>{"i0", "i1"},
      [](DurableContext&, const Json&, size_t index) -> Json {
        if (index == 0) Fail("item 0 failed");
        return "never";
      },
      config);
  batch.ThrowIfError();
  return batch.Results();
}

Json Map9x14(DurableContext& ctx, const Json&) {
  MapConfig<std::string, std::string> config;
  config.max_concurrency = 1;
  const std::string prefix = "wrapped:";
  config.item_serdes = sdk::Serdes<std::string>{
      [prefix](const std::string& v) { return prefix + v; },
      [prefix](const std::string& payload) { return payload.substr(prefix.size()); }};
  return ctx
      .Map<std::string, std::string>(
          "serdes", {"x", "y"},
          [](DurableContext&, const std::string& item, size_t) { return ToUpper(item); }, config)
      .Results();
}

// The whole map result is checkpointed as "OPSERDE:X,Y" and read back from that text.
sdk::Serdes<sdk::BatchResult<std::string>> OpSerdes() {
  const std::string prefix = "OPSERDE:";
  return {[prefix](const sdk::BatchResult<std::string>& batch) {
            std::string out = prefix;
            auto results = batch.Results();
            for (size_t i = 0; i < results.size(); ++i) out += (i ? "," : "") + results[i];
            return out;
          },
          [prefix](const std::string& payload) {
            if (payload.rfind(prefix, 0) != 0) Fail("unexpected map payload: " + payload);
            std::vector<sdk::BatchItem<std::string>> items;
            std::string rest = payload.substr(prefix.size());
            size_t start = 0;
            while (!rest.empty() && start <= rest.size()) {
              size_t comma = rest.find(',', start);
              if (comma == std::string::npos) comma = rest.size();
              sdk::BatchItem<std::string> item;
              item.index = items.size();
              item.status = sdk::BatchItemStatus::kSucceeded;
              item.result = rest.substr(start, comma - start);
              items.push_back(std::move(item));
              start = comma + 1;
            }
            return sdk::BatchResult<std::string>(std::move(items),
                                                 sdk::CompletionReason::kAllCompleted);
          }};
}

Json OpSerdeMap(DurableContext& ctx, const std::string& name, bool wait_after) {
  MapConfig<std::string, std::string> config;
  config.max_concurrency = 1;
  config.serdes = OpSerdes();
  auto batch = ctx.Map<std::string, std::string>(
      name, {"x", "y"},
      [](DurableContext&, const std::string& item, size_t) { return ToUpper(item); }, config);
  if (wait_after) ctx.Wait(std::chrono::seconds(1));
  return batch.Results();
}

}  // namespace

void RegisterMapHandlers(Registry& r) {
  r.Add("9-1", [](DurableContext& ctx, const Json& e) {
    return RunMap(ctx, "map", Items(e), [](DurableContext& c, const Json& item, size_t) -> Json {
      return c.Step([&] { return "Hello, " + AsString(item) + "!"; });
    });
  });
  r.Add("9-2", [](DurableContext& ctx, const Json& e) {
    return RunMap(ctx, "", Items(e), [](DurableContext&, const Json& item, size_t) -> Json {
      return item.get<int64_t>() * 2;
    });
  });
  r.Add("9-3", [](DurableContext& ctx, const Json& e) {
    return RunMap(ctx, "indexed", Items(e),
                  [](DurableContext&, const Json& item, size_t index) -> Json {
                    return item.get<int64_t>() + static_cast<int64_t>(index);
                  });
  });
  r.Add("9-4",
        [](DurableContext& ctx, const Json& e) { return RunMap(ctx, "empty", Items(e), Upper); });
  r.Add("9-5", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "failfast", 3, {1}, ToleratedCount(0),
                  {"completionReason", "status", "successCount", "failureCount", "totalCount"});
  });
  r.Add("9-6", Map9x6);
  r.Add("9-7", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "min-successful", 4, {}, {2, std::nullopt, std::nullopt},
                  {"completionReason", "successCount", "totalCount"});
  });
  r.Add("9-8", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "tolerated", 3, {1}, ToleratedCount(1),
                  {"completionReason", "status", "successCount", "failureCount", "totalCount"});
  });
  r.Add("9-9", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "tolerated-exceeded", 3, {0, 1}, ToleratedCount(1),
                  {"completionReason", "successCount", "failureCount", "totalCount"});
  });
  r.Add("9-10", [](DurableContext& ctx, const Json&) {
    return Policy(ctx, "tolerated-pct", 4, {0, 1}, {std::nullopt, std::nullopt, 25.0},
                  {"completionReason", "successCount", "failureCount", "totalCount"});
  });
  r.Add("9-11", [](DurableContext& ctx, const Json&) {
    MapConfig<Json, Json> config;
    config.max_concurrency = 2;
    return RunMap(
        ctx, "concurrent", {"r0", "r1", "r2"},
        [](DurableContext&, const Json& item, size_t) { return item; }, config);
  });
  r.Add("9-12", [](DurableContext& ctx, const Json&) {
    auto config = Sequential();
    config.nesting = sdk::Nesting::kFlat;
    return RunMap(
        ctx, "flat", {"fa", "fb"},
        [](DurableContext& c, const Json& item, size_t) -> Json {
          return c.Step([&] { return AsString(item); });
        },
        config);
  });
  r.Add("9-13", [](DurableContext& ctx, const Json& e) {
    auto config = Sequential();
    config.item_namer = [](const Json& item, size_t) { return "item-" + AsString(item); };
    return RunMap(
        ctx, "named-items", Items(e),
        [](DurableContext&, const Json& item, size_t) -> Json { return item.get<int64_t>() * 10; },
        config);
  });
  r.Add("9-14", Map9x14);
  r.Add("9-15", [](DurableContext& ctx, const Json&) {
    return RunMap(ctx, "suspend", {"r0", "r1"},
                  [](DurableContext& c, const Json& item, size_t index) -> Json {
                    if (index == 1) c.Wait(std::chrono::seconds(1));
                    return c.Step([&] { return AsString(item); });
                  });
  });
  r.Add("9-16", [](DurableContext& ctx, const Json&) -> Json {
    auto batch = ctx.Map<Json, Json>(
        "large", std::vector<Json>{0, 1, 2, 3},
        [](DurableContext&, const Json& item, size_t) -> Json {
          return std::string(70 * 1024, static_cast<char>('a' + item.get<int>()));
        },
        Sequential());
    return Projection(batch, {"successCount", "totalCount"});
  });
  r.Add("9-17", [](DurableContext& ctx, const Json&) -> Json {
    Json results = RunMap(ctx, "then-wait", {"a", "b"}, Upper);
    ctx.Wait(std::chrono::seconds(1));
    return results;
  });
  r.Add("9-18", [](DurableContext& ctx, const Json&) -> Json {
    auto config = Sequential();
    config.completion = ToleratedCount(1);
    auto batch = ctx.Map<Json, Json>(
        "fail-then-wait", std::vector<Json>{"ok", "fail"},
        [](DurableContext&, const Json& item, size_t) -> Json {
          if (item == "fail") Fail("item 'fail' failed");
          return item;
        },
        config);
    ctx.Wait(std::chrono::seconds(1));
    return Projection(batch,
                      {"completionReason", "status", "successCount", "failureCount", "totalCount"});
  });
  r.Add("9-19",
        [](DurableContext& ctx, const Json&) { return OpSerdeMap(ctx, "op-serde", false); });
  r.Add("9-20",
        [](DurableContext& ctx, const Json&) { return OpSerdeMap(ctx, "op-serde-replay", true); });
}

}  // namespace durable::conformance
