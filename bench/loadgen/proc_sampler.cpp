#include "proc_sampler.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace fp::bench {
namespace {

void addOne(pid_t pid, ProcessSample& total) {
    const std::string base = "/proc/" + std::to_string(pid);
    {
        std::ifstream stat(base + "/stat");
        std::string line;
        if (std::getline(stat, line)) {
            // Fields after the command name (which may hold spaces) start after the last ')'.
            const auto close = line.rfind(')');
            std::istringstream rest(line.substr(close + 2));
            std::string field;
            std::uint64_t utime = 0, stime = 0;
            for (int index = 3; rest >> field; ++index) {
                if (index == 14)
                    utime = std::stoull(field);
                if (index == 15) {
                    stime = std::stoull(field);
                    break;
                }
            }
            const auto ticks = static_cast<std::uint64_t>(sysconf(_SC_CLK_TCK));
            total.cpuMicros += (utime + stime) * 1000000ULL / ticks;
        }
    }
    {
        std::ifstream status(base + "/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("VmRSS:", 0) == 0)
                total.rssKiB += std::stoull(line.substr(6));
            else if (line.rfind("Threads:", 0) == 0)
                total.threads += std::stoull(line.substr(8));
        }
    }
    if (DIR* dir = opendir((base + "/fd").c_str())) {
        while (dirent* entry = readdir(dir)) {
            if (entry->d_name[0] != '.')
                ++total.openFds;
        }
        closedir(dir);
    }
}

}  // namespace

ProcessSample sampleProcesses(const std::vector<pid_t>& pids) {
    ProcessSample total;
    for (pid_t pid : pids)
        addOne(pid, total);
    return total;
}

std::uint64_t selfCpuMicros() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto micros = [](const timeval& tv) {
        return static_cast<std::uint64_t>(tv.tv_sec) * 1000000ULL +
               static_cast<std::uint64_t>(tv.tv_usec);
    };
    return micros(usage.ru_utime) + micros(usage.ru_stime);
}

}  // namespace fp::bench
