#include "dataset/atomic_output_file.h"

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace safeval {
namespace {

std::string ErrnoMessage() { return std::error_code(errno, std::generic_category()).message(); }

}  // namespace

AtomicOutputFile::AtomicOutputFile(std::string path, std::string temp_path)
    : path_(std::move(path)), temp_path_(std::move(temp_path)) {}

Result<std::unique_ptr<AtomicOutputFile>> AtomicOutputFile::Open(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("empty output path");
  std::unique_ptr<AtomicOutputFile> file(new AtomicOutputFile(path, path + ".tmp"));
  errno = 0;
  file->out_.open(file->temp_path_, std::ios::binary | std::ios::trunc);
  if (!file->out_) {
    std::string reason = errno != 0 ? ErrnoMessage() : "cannot open";
    file->committed_ = true;  // nothing was created, so there is nothing to delete
    return Status::InvalidArgument("cannot create '" + file->temp_path_ + "': " + reason);
  }
  return file;
}

AtomicOutputFile::~AtomicOutputFile() {
  if (committed_) return;
  out_.close();
  std::remove(temp_path_.c_str());
}

Status AtomicOutputFile::Commit() {
  out_.flush();
  bool written = static_cast<bool>(out_);
  out_.close();
  if (!written || out_.fail()) {
    return Status::IoError("cannot write '" + temp_path_ + "'");  // the destructor deletes it
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return Status::IoError("cannot rename '" + temp_path_ + "' to '" + path_ +
                           "': " + ErrnoMessage());
  }
  committed_ = true;
  return Status::Ok();
}

}  // namespace safeval
