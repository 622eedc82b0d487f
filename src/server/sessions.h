// Logged-in annotators: a session per login, kept in memory (a restart logs everyone out),
// with its own CSRF token that every POST must carry. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace safeval {

struct Session {
  std::string id;          // the cookie value: 32 random bytes, hex
  std::string annotator;
  bool adjudicator = false;
  std::string csrf_token;  // 32 random bytes, hex; a hidden field in every form
};

class Sessions {
 public:
  // `random_hex(n)` gives n random bytes as hex (tests pass a seeded one); `now` the time.
  Sessions(std::function<std::string(size_t)> random_hex,
           std::function<std::chrono::steady_clock::time_point()> now);

  Session Create(const std::string& annotator, bool adjudicator);
  // The live session with this id; sessions end 12 hours after login.
  std::optional<Session> Find(const std::string& id);
  void End(const std::string& id);

 private:
  struct Entry {
    Session session;
    std::chrono::steady_clock::time_point expires;
  };
  std::function<std::string(size_t)> random_hex_;
  std::function<std::chrono::steady_clock::time_point()> now_;
  std::mutex mutex_;
  std::map<std::string, Entry> sessions_;
};

// Constant-time comparison for tokens.
bool TokensEqual(const std::string& a, const std::string& b);

}  // namespace safeval
