#include "run/media_files.h"

#include <filesystem>
#include <fstream>

#include "core/hash.h"

namespace safeval {

std::string MediaExtension(const std::string& mime_type) {
  if (mime_type == "image/png") return "png";
  if (mime_type == "image/jpeg") return "jpg";
  if (mime_type == "image/webp") return "webp";
  if (mime_type == "image/gif") return "gif";
  if (mime_type == "video/mp4") return "mp4";
  if (mime_type == "audio/wav" || mime_type == "audio/x-wav") return "wav";
  return "bin";
}

Result<std::string> SaveMedia(const std::string& run_dir, const MediaOutput& media) {
  if (media.data.empty()) return std::string();
  namespace fs = std::filesystem;
  Hasher h;
  std::string name = h.Add(media.data).HexDigest() + "." + MediaExtension(media.mime_type);
  std::string relative = "artifacts/" + name;
  fs::path path = fs::path(run_dir) / relative;
  std::error_code ec;
  if (fs::exists(path, ec)) return relative;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Status::IoError("cannot create '" + path.parent_path().string() + "': " + ec.message());
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(media.data.data(), static_cast<std::streamsize>(media.data.size()));
    if (!out.flush()) return Status::IoError("cannot write '" + tmp.string() + "'");
  }
  fs::rename(tmp, path, ec);
  if (ec) return Status::IoError("cannot write '" + path.string() + "': " + ec.message());
  return relative;
}

}  // namespace safeval
