#include "dataset/atomic_output_file.h"

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace safeval {
namespace {

std::string ErrnoMessage(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// Why a write failed, in words a user acts on: a full disk reads differently from a
// permission problem.
std::string WriteFailure(int error) {
  if (error == ENOSPC || error == EDQUOT) return "the disk is full (" + ErrnoMessage(error) + ")";
  if (error == EFBIG) return "a file size limit was reached (" + ErrnoMessage(error) + ")";
  if (error != 0) return ErrnoMessage(error);
  return "write failed";
}

}  // namespace

void AtomicOutputFile::Buffer::Note(bool failed) {
  if (failed && error_ == 0) error_ = errno != 0 ? errno : EIO;
}

AtomicOutputFile::Buffer::int_type AtomicOutputFile::Buffer::overflow(int_type c) {
  errno = 0;
  int_type r = std::filebuf::overflow(c);
  Note(traits_type::eq_int_type(r, traits_type::eof()));  // overflow(eof) flushes: not_eof on success
  return r;
}

std::streamsize AtomicOutputFile::Buffer::xsputn(const char* s, std::streamsize n) {
  errno = 0;
  std::streamsize r = std::filebuf::xsputn(s, n);
  Note(r < n);
  return r;
}

int AtomicOutputFile::Buffer::sync() {
  errno = 0;
  int r = std::filebuf::sync();
  Note(r != 0);
  return r;
}

AtomicOutputFile::AtomicOutputFile(std::string path, std::string temp_path)
    : path_(std::move(path)), temp_path_(std::move(temp_path)) {}

Result<std::unique_ptr<AtomicOutputFile>> AtomicOutputFile::Open(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("empty output path");
  std::unique_ptr<AtomicOutputFile> file(new AtomicOutputFile(path, path + ".tmp"));
  errno = 0;
  if (!file->buffer_.open(file->temp_path_, std::ios::out | std::ios::binary | std::ios::trunc)) {
    std::string reason = errno != 0 ? ErrnoMessage(errno) : "cannot open";
    file->committed_ = true;  // nothing was created, so there is nothing to delete
    return Status::InvalidArgument("cannot create '" + file->temp_path_ + "': " + reason);
  }
  return file;
}

AtomicOutputFile::~AtomicOutputFile() {
  if (committed_) return;
  buffer_.close();
  std::remove(temp_path_.c_str());
}

Status AtomicOutputFile::Commit() {
  out_.flush();
  bool written = static_cast<bool>(out_);
  errno = 0;
  bool closed = buffer_.close() != nullptr;  // writes what is still buffered
  if (!closed && buffer_.error() == 0 && errno == 0) errno = EIO;
  if (!written || !closed) {
    int error = buffer_.error() != 0 ? buffer_.error() : errno;
    // The destructor deletes PATH.tmp: nothing half-written is left under either name.
    return Status::IoError("cannot write '" + path_ + "': " + WriteFailure(error) +
                           "; no partial file was left");
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return Status::IoError("cannot rename '" + temp_path_ + "' to '" + path_ +
                           "': " + ErrnoMessage(errno));
  }
  committed_ = true;
  return Status::Ok();
}

}  // namespace safeval
