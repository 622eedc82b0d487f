// `safeval store copy FROM TO`: a demo run with a campaign-free quickstart plan, human labels in
// an annotation round and an adjudication-free gold label, copied between stores. The copy must
// report exactly what the source reports (items CSV with every verdict, round status), a second
// copy must change nothing, and the same must hold through PostgreSQL and back when a test
// server is available. Attacker trees travel too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/store.h"
#include "testing/pg_test_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/cli_run_fixture.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

class StoreCopyCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir;
    run_id_ = RunQuickstartThroughCli(*tmp_).run_id;
    ASSERT_FALSE(run_id_.empty());
    Must({"annotators", "add", "ana", "--store", tmp_->File("s.db")});
    Must({"annotate", "create", run_id_, "--sample", "random", "--n", "4", "--name", "r1",
          "--store", tmp_->File("s.db")});
    std::ofstream labels(tmp_->File("labels.jsonl"));
    std::string round = Must({"annotate", "export", "r1", "--store", tmp_->File("s.db")}).out;
    // Label every item of the round "refuses", no violation, from the exported indexes.
    for (size_t at = round.find("\"index\":"); at != std::string::npos;
         at = round.find("\"index\":", at + 1)) {
      size_t start = at + 8;
      size_t end = round.find_first_of(",}", start);
      labels << "{\"index\": " << round.substr(start, end - start)
             << ", \"annotator\": \"ana\", \"class\": \"refuses\", \"violation\": false}\n";
    }
    labels.close();
    Must({"annotate", "import", "r1", tmp_->File("labels.jsonl"), "--store", tmp_->File("s.db")});
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }

  static ProcessResult Must(std::vector<std::string> args) {
    args.insert(args.begin(), SafevalBinary());
    ProcessResult r = RunProcess(args, tmp_->path());
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return r;
  }
  // What a user sees of a store: every item's verdicts and the round's status.
  static std::string Snapshot(const std::string& store) {
    return Must({"report", run_id_, "--format", "csv", "--store", store}).out +
           Must({"annotate", "status", "r1", "--store", store}).out;
  }

  static TempDir* tmp_;
  static std::string run_id_;
};

TempDir* StoreCopyCli::tmp_ = nullptr;
std::string StoreCopyCli::run_id_;

TEST_F(StoreCopyCli, SqliteToSqliteKeepsEverythingAndIsIdempotent) {
  const std::string source = Snapshot(tmp_->File("s.db"));
  ASSERT_NE(source.find("human@r1"), std::string::npos) << "the fixture has no gold verdicts";
  ProcessResult first = Must({"store", "copy", tmp_->File("s.db"), tmp_->File("copy.db")});
  EXPECT_NE(first.out.find("1 runs (1040 items, 1040 results"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("1 annotators added, 1 rounds, 4 labels"), std::string::npos)
      << first.out;
  EXPECT_EQ(Snapshot(tmp_->File("copy.db")), source);

  ProcessResult again = Must({"store", "copy", tmp_->File("s.db"), tmp_->File("copy.db")});
  EXPECT_NE(again.out.find("0 runs"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("1 runs already there"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("0 annotators added, 0 rounds"), std::string::npos) << again.out;
  EXPECT_EQ(Snapshot(tmp_->File("copy.db")), source);
}

TEST_F(StoreCopyCli, AttackerTreesAreCopied) {
  // A copy of the fixture's store with one attack added (its `pair` item, result and tree).
  Must({"store", "copy", tmp_->File("s.db"), tmp_->File("attacked.db")});
  const std::string tree = R"({"seed_id": "seed-1", "succeeded": true, "rounds": []})";
  {
    auto store = OpenSqliteStore(tmp_->File("attacked.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Prompt pair = MakePrompt("seed-1-pair", "[roleplay] [rewritten request]",
                             CategoryPath::Parse("cse").value(), Intent::kAdversarial);
    pair.parent_id = "seed-1";
    pair.techniques = {"pair"};
    ItemResult result;
    result.outcome = Outcome::kJudged;
    result.response = "Sure. [step-by-step synthesis route]";
    Result<int64_t> index = (*store)->SaveAttack(run_id_, "seed-1", tree, pair, result);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    EXPECT_EQ(*index, 1040);
  }
  ProcessResult first =
      Must({"store", "copy", tmp_->File("attacked.db"), tmp_->File("attacked-copy.db")});
  EXPECT_NE(first.out.find("1 runs (1041 items, 1041 results"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find(", 1 attacker trees)"), std::string::npos) << first.out;
  EXPECT_EQ(first.out.find("Not copied"), std::string::npos) << first.out;
  ProcessResult again =
      Must({"store", "copy", tmp_->File("attacked.db"), tmp_->File("attacked-copy.db")});
  EXPECT_NE(again.out.find(", 1 attacker trees)"), std::string::npos) << again.out;
  auto copy = OpenSqliteStore(tmp_->File("attacked-copy.db"));
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  auto attacks = (*copy)->LoadAttacks(run_id_);
  ASSERT_TRUE(attacks.ok()) << attacks.status().ToString();
  ASSERT_EQ(attacks->size(), 1u) << "a second copy replaces the tree, it does not add one";
  EXPECT_EQ((*attacks)[0], std::make_pair(std::string("seed-1"), tree));
  auto item = (*copy)->GetItem(run_id_, 1040);
  ASSERT_TRUE(item.ok() && item->has_value()) << item.status().ToString();
  EXPECT_EQ((*item)->prompt.id, "seed-1-pair");
}

TEST_F(StoreCopyCli, BadInputIsRefusedWithoutCreatingAStore) {
  ProcessResult missing = RunProcess(
      {SafevalBinary(), "store", "copy", tmp_->File("none.db"), tmp_->File("t.db")}, tmp_->path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no store at '" + tmp_->File("none.db") + "'"), std::string::npos)
      << missing.err;
  EXPECT_FALSE(std::filesystem::exists(tmp_->File("t.db")));

  ProcessResult same = RunProcess(
      {SafevalBinary(), "store", "copy", tmp_->File("s.db"), tmp_->File("s.db")}, tmp_->path());
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_NE(same.err.find("FROM and TO are the same store"), std::string::npos) << same.err;

  ProcessResult unknown =
      RunProcess({SafevalBinary(), "store", "copy", tmp_->File("s.db"), tmp_->File("u.db"),
                  "--run", "no-such-run"},
                 tmp_->path());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no-such-run"), std::string::npos) << unknown.err;
}

TEST_F(StoreCopyCli, ThroughPostgresAndBack) {
  SV_REQUIRE_POSTGRES();
  PgTestSchema schema;
  ASSERT_TRUE(schema.ok()) << schema.error();
  const std::string source = Snapshot(tmp_->File("s.db"));
  Must({"store", "copy", tmp_->File("s.db"), schema.url()});
  EXPECT_EQ(Snapshot(schema.url()), source);
  Must({"store", "copy", schema.url(), tmp_->File("back.db")});
  EXPECT_EQ(Snapshot(tmp_->File("back.db")), source);
}

}  // namespace
}  // namespace safeval::testing
