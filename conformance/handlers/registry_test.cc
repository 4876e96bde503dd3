// The registry covers every requirement id exactly once, and conformance/template.yaml maps each
// function to a registered handler whose id it declares.
#include "conformance/handlers/registry.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace durable::conformance {
namespace {

// Requirements per suite: 1 step .. 10 plugin (conformance.md §2).
const std::map<int, int> kSuiteSizes = {{1, 20}, {2, 5},  {3, 18}, {4, 19}, {5, 16},
                                        {6, 13}, {7, 15}, {8, 22}, {9, 20}, {10, 23}};

std::set<std::string> RequirementIds() {
  std::set<std::string> ids;
  for (const auto& [suite, count] : kSuiteSizes) {
    for (int n = 1; n <= count; ++n) ids.insert(std::to_string(suite) + "-" + std::to_string(n));
  }
  return ids;
}

TEST(RegistryTest, HasEveryRequirementAndTheTargets) {
  Registry registry = BuildRegistry();
  std::set<std::string> expected = RequirementIds();
  ASSERT_EQ(expected.size(), 171u);
  for (const char* target : {"TargetEcho", "TargetEchoTenant", "TargetError"}) {
    expected.insert(target);
  }
  std::vector<std::string> names = registry.Names();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
  EXPECT_EQ(names.size(), expected.size());
}

TEST(RegistryTest, OnlyPluginRequirementsHavePlugins) {
  Registry registry = BuildRegistry();
  for (const auto& name : registry.Names()) {
    const HandlerEntry* entry = registry.Find(name);
    ASSERT_NE(entry, nullptr) << name;
    EXPECT_TRUE(entry->handler) << name;
    bool plugin_suite = name.rfind("10-", 0) == 0;
    EXPECT_EQ(static_cast<bool>(entry->plugins), plugin_suite) << name;
    if (plugin_suite) {
      EXPECT_FALSE(entry->plugins().empty()) << name;
    }
  }
}

TEST(RegistryTest, RejectsDuplicatesAndUnknownNames) {
  Registry registry;
  registry.Add("x", [](sdk::DurableContext&, const sdk::Json& e) { return e; });
  EXPECT_THROW(registry.Add("x", [](sdk::DurableContext&, const sdk::Json& e) { return e; }),
               std::logic_error);
  EXPECT_EQ(registry.Find("y"), nullptr);
  EXPECT_NE(registry.Find("x"), nullptr);
}

TEST(TemplateTest, EveryFunctionRunsARegisteredHandlerAndEveryIdIsCovered) {
  YAML::Node root = YAML::LoadFile(DURABLE_CONFORMANCE_TEMPLATE);
  Registry registry = BuildRegistry();
  std::set<std::string> covered;
  std::set<std::string> handlers;
  for (const auto& resource : root["Resources"]) {
    const std::string logical_id = resource.first.as<std::string>();
    const YAML::Node& r = resource.second;
    if (r["Type"].as<std::string>() != "AWS::Serverless::Function") continue;
    ASSERT_TRUE(r["Properties"]["Handler"]) << logical_id;
    const std::string handler = r["Properties"]["Handler"].as<std::string>();
    EXPECT_NE(registry.Find(handler), nullptr) << logical_id << " runs unknown " << handler;
    handlers.insert(handler);
    if (!r["TestingMetadata"]) continue;
    for (const auto& id : r["TestingMetadata"]["TestDescription"]) {
      const std::string test_id = id.as<std::string>();
      EXPECT_EQ(test_id, handler) << logical_id << " covers an id it does not run";
      EXPECT_TRUE(covered.insert(test_id).second) << test_id << " covered twice";
    }
  }
  EXPECT_EQ(covered, RequirementIds());
  for (const char* target : {"TargetEcho", "TargetEchoTenant", "TargetError"}) {
    EXPECT_TRUE(handlers.count(target)) << target;
  }
}

}  // namespace
}  // namespace durable::conformance
