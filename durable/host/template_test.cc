#include "durable/host/template.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace durable::host {
namespace {

constexpr char kTemplate[] = R"(
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
TestingMetadata:
  NotImplemented:
    - id: "9-14"
      reason: "not yet"
Globals:
  Function:
    Runtime: provided.al2023
    Timeout: 60
    Environment:
      Variables:
        SHARED: from-globals
        OVERRIDDEN: globals
Resources:
  Greeter:
    Type: AWS::Serverless::Function
    TestingMetadata:
      TestDescription: ["1-1", "1-2"]
      NotImplemented:
        - id: "1-7"
          reason: "logs"
    Properties:
      Handler: greeter
      Timeout: 30
      ReservedConcurrentExecutions: 3
      DurableConfig:
        ExecutionTimeout: 300
        RetentionPeriodInDays: 7
      Environment:
        Variables:
          OVERRIDDEN: function
          TARGET_FUNCTION_NAME: !Sub "${TargetEcho.Arn}:$LATEST"
          TARGET_ARN: !GetAtt TargetEcho.Arn
          TARGET_LIST_FORM: !GetAtt [TargetEcho, Arn]
          TARGET_REF: !Ref TargetEcho
          STAGE: !Ref Stage
          REGION: !Sub "${AWS::Region}-${Stage}-${!Literal}"
          LONG_FORM:
            Fn::Sub: "${TargetEcho.Arn}"
          JOINED: !Join ["/", [a, !Ref Stage, c]]
          NUMBER: 42
  TargetEcho:
    Type: AWS::Serverless::Function
    Metadata:
      Command: ["./bin/echo-fn", "--flag", "../data/x.json", "plain"]
    Properties:
      Handler: echo
      CodeUri: src/echo/
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-bucket"
)";

TEST(TemplateTest, ReadsFunctionsWithGlobalsMergedIn) {
  auto tpl = ParseTemplate(kTemplate, "/srv/app");
  ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
  ASSERT_EQ(tpl->functions.size(), 2u);  // the bucket is not a function
  const FunctionSpec* g = tpl->Find("Greeter");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->handler, "greeter");
  EXPECT_EQ(g->runtime, "provided.al2023");
  EXPECT_EQ(g->timeout_seconds, 30);
  EXPECT_EQ(g->max_concurrency, 3);
  EXPECT_TRUE(g->code_uri.empty());
  EXPECT_EQ(g->environment.at("SHARED"), "from-globals");
  EXPECT_EQ(g->environment.at("OVERRIDDEN"), "function");
  EXPECT_EQ(g->environment.at("NUMBER"), "42");
  const FunctionSpec* t = tpl->Find("TargetEcho");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->timeout_seconds, 60);  // from Globals
  EXPECT_EQ(t->max_concurrency, 10);  // default
  EXPECT_EQ(t->environment.at("SHARED"), "from-globals");
  EXPECT_EQ(tpl->Find("Bucket"), nullptr);
}

TEST(TemplateTest, ResolvesCloudFormationTagsToLocalValues) {
  auto tpl = ParseTemplate(kTemplate, "/srv/app");
  ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
  const auto& env = tpl->Find("Greeter")->environment;
  const std::string arn = "arn:aws:lambda:us-east-1:123456789012:function:TargetEcho";
  EXPECT_EQ(env.at("TARGET_FUNCTION_NAME"), arn + ":$LATEST");
  EXPECT_EQ(env.at("TARGET_ARN"), arn);
  EXPECT_EQ(env.at("TARGET_LIST_FORM"), arn);
  EXPECT_EQ(env.at("LONG_FORM"), arn);
  EXPECT_EQ(env.at("TARGET_REF"), "TargetEcho");
  EXPECT_EQ(env.at("STAGE"), "dev");
  EXPECT_EQ(env.at("REGION"), "us-east-1-dev-${Literal}");
  EXPECT_EQ(env.at("JOINED"), "a/dev/c");
}

TEST(TemplateTest, ReadsDurableConfigAndTestingMetadata) {
  auto tpl = ParseTemplate(kTemplate, "/srv/app");
  ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
  const FunctionSpec* g = tpl->Find("Greeter");
  EXPECT_TRUE(g->has_durable_config);
  EXPECT_EQ(g->durable.execution_timeout_seconds, 300);
  EXPECT_EQ(g->durable.retention_period_in_days, 7);
  EXPECT_EQ(g->testing.test_ids, (std::vector<std::string>{"1-1", "1-2"}));
  ASSERT_EQ(g->testing.not_implemented.size(), 1u);
  EXPECT_EQ(g->testing.not_implemented[0].id, "1-7");
  EXPECT_EQ(g->testing.not_implemented[0].reason, "logs");
  ASSERT_EQ(tpl->not_implemented.size(), 1u);
  EXPECT_EQ(tpl->not_implemented[0].id, "9-14");
  const FunctionSpec* t = tpl->Find("TargetEcho");
  EXPECT_FALSE(t->has_durable_config);
  EXPECT_TRUE(t->testing.test_ids.empty());

  engine::FunctionConfig config = ToFunctionConfig(*g);
  EXPECT_EQ(config.name, "Greeter");
  EXPECT_EQ(config.timeout_seconds, 30);
  EXPECT_EQ(config.durable.execution_timeout_seconds, 300);
}

TEST(TemplateTest, ResolvesRelativePathsAgainstTheTemplateDirectory) {
  auto tpl = ParseTemplate(kTemplate, "/srv/app");
  ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
  const FunctionSpec* t = tpl->Find("TargetEcho");
  EXPECT_EQ(t->code_uri, "/srv/app/src/echo");
  EXPECT_EQ(t->command, (std::vector<std::string>{"/srv/app/bin/echo-fn", "--flag",
                                                  "/srv/data/x.json", "plain"}));
}

TEST(TemplateTest, CommandAsStringIsSplitOnWhitespace) {
  auto tpl = ParseTemplate(R"(
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      Command: "node   host.js   --x"
)",
                           "/d");
  ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
  EXPECT_EQ(tpl->functions[0].command, (std::vector<std::string>{"node", "host.js", "--x"}));
  EXPECT_EQ(tpl->functions[0].timeout_seconds, 900);  // documented default
}

TEST(TemplateTest, TestingMetadataMayAlsoSitUnderMetadataOrProperties) {
  auto tpl = ParseTemplate(R"(
Resources:
  A:
    Type: AWS::Serverless::Function
    Metadata:
      TestingMetadata:
        TestDescription: ["2-1"]
    Properties:
      Handler: a
      TestingMetadata:
        TestDescription: ["2-2"]
)",
                           "/d");
  ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
  EXPECT_EQ(tpl->functions[0].testing.test_ids, (std::vector<std::string>{"2-2", "2-1"}));
}

void ExpectError(const std::string& yaml, const std::string& needle) {
  auto tpl = ParseTemplate(yaml, "/d");
  ASSERT_FALSE(tpl.ok()) << "expected an error mentioning " << needle;
  EXPECT_EQ(tpl.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(tpl.status().message().find(needle), std::string::npos) << tpl.status().message();
}

TEST(TemplateTest, BadTemplatesGiveErrorsNamingTheResource) {
  ExpectError("Resources: [unclosed", "invalid YAML");
  ExpectError("just a string", "must be a map");
  ExpectError("Globals: {}", "no Resources");
  ExpectError(R"(
Resources:
  Broken:
    Type: AWS::Serverless::Function
    Properties:
      Handler: h
      Timeout: soon
)",
              "Broken: Timeout must be an integer");
  ExpectError(R"(
Resources:
  NoHandler:
    Type: AWS::Serverless::Function
    Properties: {Runtime: provided.al2023}
)",
              "NoHandler: needs Properties.Handler");
  ExpectError(R"(
Resources:
  BadRef:
    Type: AWS::Serverless::Function
    Properties:
      Handler: h
      Environment:
        Variables:
          X: !GetAtt Missing.Arn
)",
              "BadRef: Environment.Variables.X: !GetAtt: unknown resource Missing");
  ExpectError(R"(
Resources:
  BadConcurrency:
    Type: AWS::Serverless::Function
    Properties: {Handler: h, ReservedConcurrentExecutions: 0}
)",
              "BadConcurrency");
  ExpectError(R"(
Resources:
  BadDurable:
    Type: AWS::Serverless::Function
    Properties:
      Handler: h
      DurableConfig: {ExecutionTimeout: [1]}
)",
              "BadDurable: DurableConfig.ExecutionTimeout must be an integer");
}

TEST(TemplateTest, LoadTemplateReadsTheFileAndUsesItsDirectory) {
  auto dir = std::filesystem::temp_directory_path() /
             ("durable-template-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "template.yaml") << kTemplate;
  auto tpl = LoadTemplate((dir / "template.yaml").string());
  ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
  EXPECT_EQ(tpl->directory, dir.string());
  EXPECT_EQ(tpl->Find("TargetEcho")->code_uri, (dir / "src/echo").string());
  std::filesystem::remove_all(dir);
  EXPECT_EQ(LoadTemplate((dir / "missing.yaml").string()).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace durable::host
