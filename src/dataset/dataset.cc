// ReadDataset / LoadDataset: expands paths to .jsonl files and streams them line by line.
#include "dataset/dataset.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <unordered_map>

#include "core/hash.h"

namespace safeval {
namespace {

namespace fs = std::filesystem;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// The files `path` stands for: itself, or the *.jsonl files of a folder in name
// order (not recursive). Reports a missing path or an empty folder.
std::vector<std::string> ExpandPath(const std::string& path,
                                    std::vector<DatasetProblem>* problems) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    problems->push_back({path, 0, "", "no such file or folder"});
    return {};
  }
  if (ec) {
    problems->push_back({path, 0, "", "cannot access: " + ec.message()});
    return {};
  }
  if (!fs::is_directory(status)) return {path};
  std::vector<std::string> files;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == ".jsonl" && it->is_regular_file(type_ec)) {
      files.push_back(it->path().string());
    }
  }
  if (ec) problems->push_back({path, 0, "", "cannot list folder: " + ec.message()});
  if (!ec && files.empty()) problems->push_back({path, 0, "", "folder has no .jsonl files"});
  std::sort(files.begin(), files.end());  // same folder, so this is name order
  return files;
}

// Accumulates prompts, problems and the content hash over many files.
class DatasetReader {
 public:
  explicit DatasetReader(const Taxonomy& taxonomy) : taxonomy_(taxonomy) {}

  void ReadPath(const std::string& path) {
    for (const std::string& file : ExpandPath(path, &load_.problems)) ReadFile(file);
  }

  DatasetLoad Finish() && {
    load_.dataset.content_hash = hasher_.HexDigest();
    return std::move(load_);
  }

 private:
  // Where an id was first seen: an index into files_ and a line number.
  struct Location {
    size_t file;
    int line;
  };

  void ReadFile(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::string reason = std::error_code(errno, std::generic_category()).message();
      load_.problems.push_back({file, 0, "", "cannot open: " + reason});
      return;
    }
    files_.push_back(file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (!IsBlank(line)) ReadLine(line, number);
    }
    if (in.bad()) load_.problems.push_back({file, 0, "", "read error"});
  }

  void ReadLine(std::string_view line, int number) {
    const std::string& file = files_.back();
    Prompt prompt;
    bool ok = ParsePromptLine(line, file, number, taxonomy_, &prompt, &load_.problems);
    if (!prompt.id.empty()) ok = CheckUniqueId(prompt.id, number) && ok;
    if (!ok) return;
    hasher_.Add(PromptToJsonLine(prompt));
    load_.dataset.prompts.push_back(std::move(prompt));
  }

  bool CheckUniqueId(const std::string& id, int number) {
    auto [it, inserted] = first_seen_.try_emplace(id, Location{files_.size() - 1, number});
    if (inserted) return true;
    const Location& first = it->second;
    load_.problems.push_back({files_.back(), number, "id",
                              "duplicate id '" + id + "' (first at " + files_[first.file] + ":" +
                                  std::to_string(first.line) + ")"});
    return false;
  }

  const Taxonomy& taxonomy_;
  DatasetLoad load_;
  Hasher hasher_;  // over the canonical line of each kept prompt, as they are read
  std::vector<std::string> files_;
  std::unordered_map<std::string, Location> first_seen_;
};

}  // namespace

DatasetLoad ReadDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy) {
  DatasetReader reader(taxonomy);
  for (const std::string& path : paths) reader.ReadPath(path);
  return std::move(reader).Finish();
}

Result<Dataset> LoadDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy) {
  DatasetLoad load = ReadDataset(paths, taxonomy);
  if (!load.problems.empty()) return Status::InvalidArgument(FormatProblems(load.problems));
  return std::move(load.dataset);
}

}  // namespace safeval
