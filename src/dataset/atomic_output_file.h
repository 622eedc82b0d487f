// An output file that appears only when complete: it is written as PATH.tmp and
// renamed over PATH by Commit(), so a failed or interrupted import or export
// never leaves a half-written PATH behind (an existing PATH stays as it was).
// Not thread-safe; one writer per file.
#pragma once

#include <fstream>
#include <memory>
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

  // Flushes, closes and renames PATH.tmp to PATH. Fails (IoError) when any write
  // failed or the rename did; PATH.tmp is deleted then. REQUIRES: called once.
  Status Commit();

  const std::string& path() const { return path_; }

 private:
  AtomicOutputFile(std::string path, std::string temp_path);

  std::string path_;
  std::string temp_path_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace safeval
