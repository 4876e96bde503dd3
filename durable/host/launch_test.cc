#include "durable/host/launch.h"

#include <gtest/gtest.h>

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

TEST(LaunchTest, NodeRuntimesAreNotImplementedYetAndOthersUnsupported) {
  FunctionSpec s = Spec();
  s.code_uri = "/code";
  s.runtime = "nodejs22.x";
  auto node = ResolveLaunch(s, "/tpl");
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(node.status().message().find("not implemented"), std::string::npos);
  s.runtime = "python3.13";
  auto py = ResolveLaunch(s, "/tpl");
  ASSERT_FALSE(py.ok());
  EXPECT_NE(py.status().message().find("python3.13"), std::string::npos);
}

}  // namespace
}  // namespace durable::host
