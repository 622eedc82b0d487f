// Readers for the fields several target types share (params, headers, timeouts, rate
// limits, prices, string-or-list values), for target_config.cc only. Each reads its keys
// from one target mapping into `t` and fails with "<origin>:<line>: field '<key>': ...".
// Include only from .cc files: it pulls in yaml-cpp.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "run/target_config.h"
#include "taxonomy/yaml_map.h"

namespace safeval::target_fields {

// `key` as a list of strings: a single string gives a list of one; absent gives {}.
// Every entry must be a string, non-empty unless `allow_empty`.
Result<std::vector<std::string>> StringList(const YamlMap& f, std::string_view key,
                                            bool allow_empty = false);

// `params: {temperature, top_p, max_tokens, stop}`; temperature at most `max_temperature`.
Status Params(const YamlMap& f, double max_temperature, TargetConfig* t);

// `headers: {Name: value}` (values as strings).
Status Headers(const YamlMap& f, TargetConfig* t);

// `base_url`: an http(s) URL with a host and no credentials; `fallback` when absent
// (required when `fallback` is empty).
Status BaseUrl(const YamlMap& f, const std::string& fallback, TargetConfig* t);

// `timeout_s`, `connect_timeout_s` (seconds, fractions allowed), `max_attempts`, and
// `concurrency` up to `max_concurrency`; defaults are the values already in `t`.
Status Transport(const YamlMap& f, int max_concurrency, TargetConfig* t);

// `requests_per_minute`, `tokens_per_minute` and `circuit_breaker` (consecutive failed
// requests that pause the target; 0 turns it off).
Status Limits(const YamlMap& f, TargetConfig* t);

// `price: {input_per_mtok, output_per_mtok}` in USD per million tokens.
Status Price(const YamlMap& f, TargetConfig* t);

// A model-layer validation error ("body: unknown placeholder ...", "url must start
// with ...") at the line of the field it names: the message's first word when it is one
// of `keys` (a "<key>: " prefix is dropped), else `fallback_key`.
Status AtNamedField(const YamlMap& f, const Status& error,
                    std::initializer_list<std::string_view> keys, std::string_view fallback_key);

// `variables: {name: value}` for {{var.NAME}}.
Status Variables(const YamlMap& f, TargetConfig* t);

}  // namespace safeval::target_fields
