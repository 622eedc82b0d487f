#include "server/sessions.h"

#include <utility>

namespace safeval {
namespace {

constexpr auto kSessionLifetime = std::chrono::hours(12);
constexpr size_t kSessionIdBytes = 32;
constexpr size_t kCsrfBytes = 32;

}  // namespace

Sessions::Sessions(std::function<std::string(size_t)> random_hex,
                   std::function<std::chrono::steady_clock::time_point()> now)
    : random_hex_(std::move(random_hex)), now_(std::move(now)) {}

Session Sessions::Create(const std::string& annotator, bool adjudicator) {
  Session session;
  session.id = random_hex_(kSessionIdBytes);
  session.annotator = annotator;
  session.adjudicator = adjudicator;
  session.csrf_token = random_hex_(kCsrfBytes);
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = now_();
  // Expired sessions are dropped at each login, so the map stays as small as the live ones.
  for (auto it = sessions_.begin(); it != sessions_.end();)
    it = it->second.expires <= now ? sessions_.erase(it) : std::next(it);
  sessions_[session.id] = Entry{session, now + kSessionLifetime};
  return session;
}

std::optional<Session> Sessions::Find(const std::string& id) {
  if (id.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires <= now_()) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second.session;
}

void Sessions::End(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.erase(id);
}

bool TokensEqual(const std::string& a, const std::string& b) {
  // The length is not secret (every token has the same length); the content is compared in
  // time independent of where the first difference is.
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace safeval
