#include "durable/host/hosting.h"

#include <gtest/gtest.h>

namespace durable::host {
namespace {

constexpr char kTemplate[] = R"(
Resources:
  InProc:
    Type: AWS::Serverless::Function
    Properties: {Handler: greet, Timeout: 12}
  Unlinked:
    Type: AWS::Serverless::Function
    Properties: {Handler: missing_handler}
  Proc:
    Type: AWS::Serverless::Function
    Metadata: {Command: [/bin/true]}
    Properties: {Handler: x}
  Node:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.handler, Runtime: nodejs22.x, CodeUri: fn/}
)";

TEST(HostingTest, SendsEachFunctionToTheInvokerThatCanRunIt) {
  auto tpl = ParseTemplate(kTemplate, "/tpl");
  ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
  InProcessInvoker in_process(1);
  in_process.Register("greet",
                      [](const engine::InvocationRequest&) { return engine::InvocationResult{}; });
  ProcessInvoker processes(ProcessInvokerOptions{});
  auto hosted = HostTemplate(*tpl, &in_process, &processes);
  ASSERT_EQ(hosted.size(), 4u);
  std::map<std::string, HostedFunction> by_name;
  for (auto& h : hosted) by_name[h.name] = h;

  EXPECT_TRUE(by_name["InProc"].status.ok());
  EXPECT_TRUE(by_name["InProc"].in_process);
  EXPECT_EQ(by_name["InProc"].config.timeout_seconds, 12);
  EXPECT_TRUE(in_process.Has("InProc"));
  EXPECT_FALSE(processes.Has("InProc"));

  EXPECT_EQ(by_name["Unlinked"].status.code(), StatusCode::kNotFound);
  EXPECT_NE(by_name["Unlinked"].status.message().find("missing_handler"), std::string::npos);

  EXPECT_TRUE(by_name["Proc"].status.ok());
  EXPECT_FALSE(by_name["Proc"].in_process);
  EXPECT_TRUE(processes.Has("Proc"));
  EXPECT_FALSE(in_process.Has("Proc"));

  EXPECT_TRUE(by_name["Node"].status.ok()) << by_name["Node"].status.ToString();
  EXPECT_FALSE(by_name["Node"].in_process);
  EXPECT_TRUE(processes.Has("Node"));
}

TEST(HostingTest, ReportsDisabledHostingKinds) {
  auto tpl = ParseTemplate(kTemplate, "/tpl");
  ASSERT_TRUE(tpl.ok());
  auto hosted = HostTemplate(*tpl, nullptr, nullptr);
  for (const auto& h : hosted) EXPECT_FALSE(h.status.ok()) << h.name;
}

}  // namespace
}  // namespace durable::host
