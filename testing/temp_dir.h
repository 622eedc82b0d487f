// A temporary folder for a test, removed with everything in it on destruction.
#pragma once

#include <string>

namespace safeval::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to File(name) (creating parent folders) and returns that path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// The whole content of a file ("" if it cannot be read).
std::string ReadFile(const std::string& path);

}  // namespace safeval::testing
