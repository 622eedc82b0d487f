// How dataset problems read to a user: one line each, "file:line: field 'x': message".
#include <algorithm>

#include "dataset/dataset.h"

namespace safeval {

std::string DatasetProblem::ToString() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!field.empty()) out += "field '" + field + "': ";
  out += message;
  return out;
}

std::string FormatProblems(const std::vector<DatasetProblem>& problems, size_t max_shown) {
  std::string out;
  size_t shown = std::min(problems.size(), max_shown);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += '\n';
    out += problems[i].ToString();
  }
  if (problems.size() > shown) {
    size_t more = problems.size() - shown;
    if (!out.empty()) out += '\n';
    out += "... and " + std::to_string(more) + (more == 1 ? " more problem" : " more problems");
  }
  return out;
}

}  // namespace safeval
