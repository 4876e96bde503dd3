#include "durable/host/launch.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "durable/host/node/node_bootstrap.h"

namespace durable::host {
namespace {

FunctionSpec Spec() {
  FunctionSpec s;
  s.name = "Fn";
  s.handler = "my_handler";
  s.runtime = "provided.al2023";
  return s;
}

TEST(LaunchTest, CommandTakesPrecedence) {
  FunctionSpec s = Spec();
  s.command = {"/bin/fn", "--x"};
  s.code_uri = "/code";
  auto plan = ResolveLaunch(s, "/tpl");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->kind, LaunchPlan::Kind::kProcess);
  EXPECT_EQ(plan->argv, s.command);
  EXPECT_EQ(plan->working_dir, "/code");
}

TEST(LaunchTest, NoCodeUriMeansInProcessHandler) {
  auto plan = ResolveLaunch(Spec(), "/tpl");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->kind, LaunchPlan::Kind::kInProcess);
  EXPECT_EQ(plan->handler, "my_handler");
}

TEST(LaunchTest, ProvidedRuntimesRunTheBootstrap) {
  for (const char* rt : {"provided", "provided.al2", "provided.al2023"}) {
    FunctionSpec s = Spec();
    s.runtime = rt;
    s.code_uri = "/code/fn";
    auto plan = ResolveLaunch(s, "/tpl");
    ASSERT_TRUE(plan.ok()) << rt;
    EXPECT_EQ(plan->kind, LaunchPlan::Kind::kProcess);
    EXPECT_EQ(plan->argv, std::vector<std::string>{"/code/fn/bootstrap"});
    EXPECT_EQ(plan->working_dir, "/code/fn");
  }
}

TEST(LaunchTest, NodeRuntimesRunTheEmbeddedBootstrapWithNode) {
  for (const char* rt : {"nodejs20.x", "nodejs22.x"}) {
    FunctionSpec s = Spec();
    s.runtime = rt;
    s.handler = "index.handler";
    s.code_uri = "/code/js";
    auto plan = ResolveLaunch(s, "/tpl");
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    EXPECT_EQ(plan->kind, LaunchPlan::Kind::kProcess);
    ASSERT_EQ(plan->argv.size(), 2u);
    EXPECT_EQ(plan->argv[0], "node");
    EXPECT_EQ(plan->working_dir, "/code/js");
    std::ifstream in(plan->argv[1], std::ios::binary);
    std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(written, NodeBootstrapSource());
    EXPECT_NE(written.find("/invocation/next"), std::string::npos);
  }
}

TEST(LaunchTest, OtherRuntimesAreUnsupported) {
  FunctionSpec s = Spec();
  s.code_uri = "/code";
  s.runtime = "python3.13";
  auto py = ResolveLaunch(s, "/tpl");
  ASSERT_FALSE(py.ok());
  EXPECT_EQ(py.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(py.status().message().find("python3.13"), std::string::npos);
}

}  // namespace
}  // namespace durable::host
