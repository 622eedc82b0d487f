// The HTTP request and response the web UI's handlers see: plain values, independent of the
// HTTP library, so every handler is tested in-process (server/web_app.h) and the socket side
// (server/http_server.h) only copies fields.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace safeval {

struct WebRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded, without the query
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::multimap<std::string, std::string> form;   // decoded application/x-www-form-urlencoded body
  std::map<std::string, std::string> headers;     // names in lower case
  std::map<std::string, std::string> cookies;

  // The first value of a parameter / header / cookie, or "".
  std::string Query(const std::string& name) const;
  std::string Form(const std::string& name) const;
  std::string Header(const std::string& lower_case_name) const;
  std::string Cookie(const std::string& name) const;
};

struct WebResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  // Extra headers (Set-Cookie, Location, Cache-Control); WebApp adds the security headers.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Parses "a=1&b=x%20y" (also '+' for space) into `out`. Malformed escapes are kept literally.
void ParseUrlEncoded(const std::string& text, std::multimap<std::string, std::string>* out);
// Parses a Cookie header ("a=1; b=2").
std::map<std::string, std::string> ParseCookies(const std::string& header);
// Percent-encodes everything but unreserved characters (for links built from ids and queries).
std::string UrlEncode(const std::string& text);

}  // namespace safeval
