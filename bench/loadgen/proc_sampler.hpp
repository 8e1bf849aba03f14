// What the bench reports about the server processes, read from /proc: resident memory,
// CPU time (utime + stime), open descriptors and threads.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

namespace fp::bench {

struct ProcessSample {
    std::uint64_t rssKiB = 0;
    std::uint64_t cpuMicros = 0;
    std::uint64_t openFds = 0;
    std::uint64_t threads = 0;
};

// Summed over `pids`; a pid that is gone counts as zero (the caller sees errors elsewhere).
ProcessSample sampleProcesses(const std::vector<pid_t>& pids);
// CPU time of this process (the load generator itself), in microseconds.
std::uint64_t selfCpuMicros();

}  // namespace fp::bench
