// An output file that appears only when complete: it is written as PATH.tmp and
// renamed over PATH by Commit(), so a failed or interrupted import or export
// never leaves a half-written PATH behind (an existing PATH stays as it was).
// A write that fails (a full disk, a file size limit) is remembered with its
// system error, so Commit() can say why, e.g. "cannot write 'out.csv': the disk
// is full (No space left on device)".
// Not thread-safe; one writer per file.
#pragma once

#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "core/status.h"

namespace safeval {

class AtomicOutputFile {
 public:
  // Creates PATH.tmp (truncating a stale one). Fails with InvalidArgument
  // naming the path and the reason, e.g. when the folder does not exist.
  static Result<std::unique_ptr<AtomicOutputFile>> Open(const std::string& path);

  // Deletes PATH.tmp unless Commit() succeeded.
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  // Where to write. Write errors are sticky in the stream and reported by Commit().
  std::ostream& stream() { return out_; }

  // Flushes, closes and renames PATH.tmp to PATH. Fails (IoError naming PATH and
  // the system's reason, "the disk is full" for ENOSPC/EDQUOT, "a file size limit
  // was reached" for EFBIG) when any write failed or the rename did; PATH.tmp is
  // deleted then, so no partial PATH ever appears. REQUIRES: called once.
  Status Commit();

  const std::string& path() const { return path_; }

 private:
  // A filebuf that keeps the errno of its first failed write.
  class Buffer : public std::filebuf {
   public:
    int error() const { return error_; }

   protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

   private:
    void Note(bool failed);
    int error_ = 0;
  };

  AtomicOutputFile(std::string path, std::string temp_path);

  std::string path_;
  std::string temp_path_;
  Buffer buffer_;
  std::ostream out_{&buffer_};
  bool committed_ = false;
};

}  // namespace safeval
