// ReadDataset / LoadDataset: expands paths to .jsonl files and streams them line by line.
#include "dataset/dataset.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

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

}  // namespace

DatasetStream::DatasetStream(std::vector<std::string> paths, const Taxonomy& taxonomy)
    : taxonomy_(taxonomy), paths_(std::move(paths)) {}

DatasetStream::~DatasetStream() = default;

bool DatasetStream::OpenNextFile() {
  while (true) {
    if (!pending_files_.empty()) {
      std::string file = pending_files_.front();
      pending_files_.erase(pending_files_.begin());
      in_ = std::make_unique<std::ifstream>(file, std::ios::binary);
      if (!*in_) {
        std::string reason = std::error_code(errno, std::generic_category()).message();
        problems_.push_back({file, 0, "", "cannot open: " + reason});
        in_.reset();
        continue;
      }
      files_.push_back(file);
      line_number_ = 0;
      return true;
    }
    if (next_path_ == paths_.size()) return false;
    pending_files_ = ExpandPath(paths_[next_path_++], &problems_);
  }
}

std::optional<Prompt> DatasetStream::Next() {
  std::string line;
  while (true) {
    if (!in_ && !OpenNextFile()) {
      finished_ = true;
      return std::nullopt;
    }
    if (!std::getline(*in_, line)) {
      if (in_->bad()) problems_.push_back({files_.back(), 0, "", "read error"});
      in_.reset();
      continue;
    }
    ++line_number_;
    if (IsBlank(line)) continue;
    Prompt prompt;
    bool ok = ParsePromptLine(line, files_.back(), line_number_, taxonomy_, &prompt, &problems_);
    if (!prompt.id.empty()) ok = CheckUniqueId(prompt.id) && ok;
    if (!ok) continue;
    hasher_.Add(PromptToJsonLine(prompt));
    ++count_;
    return prompt;
  }
}

bool DatasetStream::CheckUniqueId(const std::string& id) {
  Hasher h;
  uint64_t key = h.Add(id).Digest();
  IdIndex::Location here{static_cast<uint32_t>(files_.size() - 1),
                         static_cast<uint32_t>(line_number_)};
  std::optional<IdIndex::Location> first = first_seen_.Insert(key, here);
  if (!first) return true;
  problems_.push_back({files_.back(), line_number_, "id",
                       "duplicate id '" + id + "' (first at " + files_[first->file] + ":" +
                           std::to_string(first->line) + ")"});
  return false;
}

std::string DatasetStream::content_hash() const { return hasher_.HexDigest(); }

DatasetLoad ReadDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy) {
  DatasetStream stream(paths, taxonomy);
  DatasetLoad load;
  while (std::optional<Prompt> prompt = stream.Next()) load.dataset.prompts.push_back(std::move(*prompt));
  load.dataset.content_hash = stream.content_hash();
  load.problems = stream.problems();
  return load;
}

Result<Dataset> LoadDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy) {
  DatasetLoad load = ReadDataset(paths, taxonomy);
  if (!load.problems.empty()) return Status::InvalidArgument(FormatProblems(load.problems));
  return std::move(load.dataset);
}

}  // namespace safeval
