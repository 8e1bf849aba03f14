// What one run of the load generator does, from its command line.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace fp::bench {

enum class Mode {
    connect,   // open and join, hold, report memory; no votes
    steady,    // every room votes at a fixed rate
    saturate,  // every room votes again as soon as its previous vote is acknowledged
    soak,      // steady votes plus connections closing and resuming their seats
};

struct LoadOptions {
    Mode mode = Mode::steady;
    std::string host = "127.0.0.1";
    std::vector<int> ports;  // participant i of a room goes to ports[i % size]
    int rooms = 100;
    int perRoom = 10;
    double connectRate = 2000;  // new connections a second; 0 = all at once (a storm)
    double votesPerRoomPerSecond = 1;
    double warmupSeconds = 2;
    double durationSeconds = 10;
    double holdSeconds = 2;  // connect mode: wait before the memory sample
    double connectTimeoutSeconds = 30;
    double churnPerSecond = 0;  // soak: connections closed and resumed a second
    std::string roomPrefix = "bench";
    std::vector<pid_t> serverPids;  // sampled from /proc
    std::vector<pid_t> helperPids;  // e.g. redis-server: sampled, reported apart
};

}  // namespace fp::bench
