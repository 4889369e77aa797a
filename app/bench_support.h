// bench_support.h — small helpers shared by the benchmark commands: process memory from
// /proc/self/status and order statistics.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace strata::bench {

// A /proc/self/status field in MiB: "VmRSS:" (now) or "VmHWM:" (peak).
inline double status_mib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string k(key);
  while (std::getline(in, line)) {
    if (line.rfind(k, 0) == 0) return std::atof(line.c_str() + k.size()) / 1024.0;
  }
  return 0.0;
}

inline double rss_mib() { return status_mib("VmRSS:"); }
inline double peak_rss_mib() { return status_mib("VmHWM:"); }
// Starts a new peak: VmHWM drops to the current RSS (Linux: "5" into /proc/self/clear_refs).
inline void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

// The value below which a fraction p of the values lie (p = 0.5: the upper median).
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The median (mean of the two middle values for an even count).
inline double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

}  // namespace strata::bench
