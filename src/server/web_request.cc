#include "server/web_request.h"

#include <cctype>

namespace safeval {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX and '+'; a '%' not followed by two hex digits stays as it is.
std::string DecodeComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Trim(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return std::string(text.substr(begin, end - begin));
}

template <typename Map>
std::string First(const Map& map, const std::string& name) {
  auto it = map.find(name);
  return it == map.end() ? std::string() : it->second;
}

}  // namespace

std::string WebRequest::Query(const std::string& name) const { return First(query, name); }
std::string WebRequest::Form(const std::string& name) const { return First(form, name); }
std::string WebRequest::Header(const std::string& lower_case_name) const {
  return First(headers, lower_case_name);
}
std::string WebRequest::Cookie(const std::string& name) const { return First(cookies, name); }

void ParseUrlEncoded(const std::string& text, std::multimap<std::string, std::string>* out) {
  std::string_view rest(text);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name = DecodeComponent(pair.substr(0, eq));
    std::string value =
        eq == std::string_view::npos ? std::string() : DecodeComponent(pair.substr(eq + 1));
    out->emplace(std::move(name), std::move(value));
  }
}

std::map<std::string, std::string> ParseCookies(const std::string& header) {
  std::map<std::string, std::string> cookies;
  std::string_view rest(header);
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name = Trim(pair.substr(0, eq));
    std::string value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    // The first cookie of a name wins (the most specific path comes first).
    if (!name.empty()) cookies.emplace(std::move(name), std::move(value));
  }
  return cookies;
}

std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace safeval
