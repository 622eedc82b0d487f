#include "metrics/percent.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace safeval {
namespace {

std::string Number(double percent) {
  char buffer[32];
  bool small = percent != 0 && std::fabs(percent) < 0.1;
  std::snprintf(buffer, sizeof buffer, small ? "%.2f" : "%.1f", percent);
  return buffer;
}

}  // namespace

std::string RateText(double fraction) { return Number(100 * fraction) + "%"; }

std::string RateIntervalText(double low, double high) {
  return "[" + Number(100 * low) + "–" + Number(100 * high) + "]";
}

std::string ThresholdText(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", 100 * fraction);
  return std::string(buffer) + "%";
}

Result<double> ParsePercent(std::string_view text, std::string_view what) {
  std::string number(text);
  while (!number.empty() && number.back() == ' ') number.pop_back();
  if (!number.empty() && number.back() == '%') number.pop_back();
  char* end = nullptr;
  double value = number.empty() ? NAN : std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !(value >= 0 && value <= 100)) {
    return Status::InvalidArgument(std::string(what) + ": expected a percentage from 0 to 100 " +
                                   "(e.g. 0.5% or 0.5), got '" + std::string(text) + "'");
  }
  return value / 100;
}

}  // namespace safeval
