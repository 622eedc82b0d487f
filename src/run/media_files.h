// Media outputs (images targets) saved next to the run, content-addressed: the same bytes
// are stored once, under artifacts/<hash>.<ext> in the run's output folder.
#pragma once

#include <string>

#include "core/status.h"
#include "model/model_client.h"

namespace safeval {

// Writes media.data (atomically; nothing when the file exists) and returns the path relative
// to `run_dir`, e.g. "artifacts/3f2a9c0d1e7b5a64.png". Media without bytes (a URL only) is
// not saved: returns "" and the caller records the URL. IoError naming the path on failure.
Result<std::string> SaveMedia(const std::string& run_dir, const MediaOutput& media);

// "png" for "image/png", "jpg", "webp", "gif", "mp4", "wav"; "bin" otherwise.
std::string MediaExtension(const std::string& mime_type);

}  // namespace safeval
