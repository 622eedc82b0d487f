#include "run/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace safeval {
namespace {

TEST(ProgressBar, LineShowsCountsRateEtaErrorsAndViolations) {
  ExecutionStats s;
  s.total = 200;
  s.done = 50;
  s.elapsed_ms = 5000;
  s.model_errors = 2;
  s.judged_unsafe = 40;
  s.violations = 10;
  std::string line = ProgressBar::Line(s, "demo", true);
  EXPECT_NE(line.find("50/200 (25%)"), std::string::npos) << line;
  EXPECT_NE(line.find("10.0/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0m15s"), std::string::npos) << line;
  EXPECT_NE(line.find("errors 2"), std::string::npos) << line;
  EXPECT_NE(line.find("violations 25.0%"), std::string::npos) << line;
  EXPECT_NE(line.find("[#######....."), std::string::npos) << line;
}

TEST(ProgressBar, PlainOutputLogsAtMostEveryInterval) {
  std::ostringstream out;
  FakeClock clock;
  ProgressBar bar(out, clock, /*tty=*/false, "t", 5000);
  ExecutionStats s;
  s.total = 10;
  for (int i = 1; i <= 10; ++i) {
    s.done = i;
    bar.OnProgress(s);
    clock.Advance(1000);
  }
  bar.OnFinish(s);
  std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);  // at 0 s, at 5 s, and the end
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(ProgressBar, TerminalOutputRedrawsInPlace) {
  std::ostringstream out;
  FakeClock clock;
  ProgressBar bar(out, clock, /*tty=*/true, "t");
  ExecutionStats s;
  s.total = 2;
  s.done = 1;
  bar.OnProgress(s);
  s.done = 2;
  bar.OnFinish(s);
  std::string text = out.str();
  EXPECT_EQ(text.rfind("\r\033[K", 0), 0u);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

}  // namespace
}  // namespace safeval
