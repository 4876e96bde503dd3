// Parsing of a raw HTTP request target ("/a/b%2Fc?x=1&x=2") into path segments and query
// parameters, shared by the server and its tests. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace durable::http {

struct ParsedTarget {
  std::string raw_path;                           // before the '?', still percent-encoded
  std::vector<std::string> segments;              // raw_path split on '/', each percent-decoded
  std::multimap<std::string, std::string> query;  // decoded ('+' = space), repeated keys kept
};

// Splits on '/' *before* decoding, so "%2F" stays inside its segment. The leading '/' and one
// trailing '/' do not produce empty segments; interior empty segments ("a//b") are kept.
std::vector<std::string> SplitPathSegments(std::string_view raw_path);
// "a=1&b=x+y&a=2&flag" -> {a:1, a:2, b:"x y", flag:""}.
std::multimap<std::string, std::string> ParseQueryString(std::string_view query);
ParsedTarget ParseTarget(std::string_view target);

}  // namespace durable::http
