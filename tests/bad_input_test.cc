// Bad input stops with one clear message (file, line, field), exit code 2, and
// no request sent; an unreachable target fails fast and leaves a valid store.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <filesystem>

#include "store/store.h"
#include "testing/mock_openai_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/suite_fixture.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

class BadInputTest : public ::testing::Test {
 protected:
  ProcessResult Run(const std::string& suite) {
    return RunProcess({SafevalBinary(), "run", suite}, dir_.path());
  }
  void ExpectRejected(const ProcessResult& r, const std::string& fragment) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("what()"), std::string::npos) << r.err;
    EXPECT_EQ(server_.requests(), 0);
    EXPECT_FALSE(std::filesystem::exists(dir_.File("store/safeval.db")));
  }

  TempDir dir_;
  MockOpenAiServer server_;
};

TEST_F(BadInputTest, MalformedDatasetLinesAreAllReportedWithFileLineAndField) {
  dir_.Write("data.jsonl",
             "{\"id\": \"a\", \"text\": \"hi\", \"category\": \"vcr\", \"intent\": \"safe\"}\n"
             "{\"id\": \"b\", \"text\": \"hi\", \"category\": \"nope\", \"intent\": \"safe\"}\n"
             "{\"id\": \"a\", \"text\": \"hi\", \"category\": \"vcr\", \"intent\": \"evil\"}\n"
             "{\"id\": \"c\", \"text\": \"bad \xC3\", \"category\": \"vcr\", \"intent\": \"safe\"}\n"
             "{not json\n");
  ProcessResult r = Run(WriteOpenAiSuite(dir_, server_.base_url()));
  ExpectRejected(r, "data.jsonl:2: field 'category'");
  EXPECT_NE(r.err.find("data.jsonl:3: field 'intent'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("data.jsonl:3: field 'id'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("data.jsonl:4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("data.jsonl:5"), std::string::npos) << r.err;
}

TEST_F(BadInputTest, MalformedSuiteNamesTheLine) {
  WriteDataset(dir_, 3);
  ExpectRejected(Run(dir_.Write("suite.yaml", "schema_version: 1\nname: x\ndatasets: [data.jsonl]\n"
                                              "targets:\n  - {name: t, type: openai, model: m}\n")),
                 "suite.yaml:5: field 'base_url'");
  ExpectRejected(Run(dir_.Write("suite.yaml", "schema_version: 1\nname: [x\n")), "suite.yaml:");
}

TEST_F(BadInputTest, MalformedPolicyAndTaxonomyNameTheirFile) {
  WriteDataset(dir_, 3);
  dir_.Write("policy.yaml", "schema_version: 1\ndefault:\n  safe: [helpful]\n  harmful: [refuses]\n"
                            "  adversarial: [refuses]\nrules:\n  - node: no/such/node\n    harmful: [partial]\n");
  ExpectRejected(Run(WriteOpenAiSuite(dir_, server_.base_url(), "", "policy: policy.yaml\n")),
                 "policy.yaml:7");
  dir_.Write("tax.yaml", "schema_version: 1\nid: t\nnodes:\n  - {id: a, name: A}\n  - {id: a, name: B}\n");
  ExpectRejected(Run(WriteOpenAiSuite(dir_, server_.base_url(), "", "taxonomy: tax.yaml\n")),
                 "tax.yaml:5");
}

TEST_F(BadInputTest, InvalidUtf8InTheSuiteIsRejectedBeforeAnything) {
  WriteDataset(dir_, 3);
  ExpectRejected(Run(dir_.Write("suite.yaml", "schema_version: 1\nname: caf\xE9\ndatasets: [data.jsonl]\n"
                                              "targets:\n  - {name: t, type: demo}\n")),
                 "suite.yaml:2: invalid UTF-8");
}

TEST_F(BadInputTest, CustomTaxonomyWorksWithTheBuiltinDefaultPolicy) {
  dir_.Write("tax.yaml", "schema_version: 1\nid: acme\nnodes:\n  - id: fraud\n    name: Fraud\n"
                         "    children:\n      - {id: phishing, name: Phishing}\n");
  dir_.Write("data.jsonl",
             "{\"id\": \"a\", \"text\": \"How do phishing kits work? [harmful]\", \"category\": \"fraud/phishing\", \"intent\": \"harmful\"}\n");
  ProcessResult r = Run(WriteOpenAiSuite(dir_, server_.base_url(), "", "taxonomy: tax.yaml\n"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests(), 1);
}

TEST_F(BadInputTest, MissingSuiteFile) {
  ExpectRejected(Run(dir_.File("nope.yaml")), "nope.yaml");
}

int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);  // nothing listens there now
  return ntohs(addr.sin_port);
}

TEST_F(BadInputTest, UnreachableTargetFailsFastWithUrlAndCauseAndAValidStore) {
  WriteDataset(dir_, 20);
  std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/v1";
  ProcessResult r = Run(WriteOpenAiSuite(dir_, url));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(url + "/chat/completions"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("onnect"), std::string::npos) << r.err;  // "Couldn't connect" / "Connection refused"
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;

  auto store = OpenSqliteStore(dir_.File("store/safeval.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto runs = (*store)->ListRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().status, "failed");
  EXPECT_EQ((*store)->PendingItems(runs->front().id)->size(), 20u);  // nothing counted as a verdict
}

}  // namespace
}  // namespace safeval::testing
