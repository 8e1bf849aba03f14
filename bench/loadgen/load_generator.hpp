// One epoll loop driving every bench connection: connects (ramped or as a storm), WebSocket
// handshakes, joins, votes on a schedule or as fast as acks return, and times each vote's
// state broadcast at every other participant of its room.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include "latency_histogram.hpp"
#include "load_options.hpp"
#include "proc_sampler.hpp"

namespace fp::bench {

using Clock = std::chrono::steady_clock;

struct LoadReport {
    int connectionsWanted = 0;
    int connectionsOpen = 0;  // upgraded and still open at the end of the run
    int welcomed = 0;
    double secondsToAllWelcomed = 0;
    int welcomedWithinOneSecond = 0;
    std::uint64_t votes = 0;         // sent in the measured window
    std::uint64_t commandsSent = 0;  // joins and votes, the whole run
    std::uint64_t deliveries = 0;    // state messages received in the measured window
    std::uint64_t lateVotes = 0;     // steady: a room's vote waited for its previous ack
    std::uint64_t unmatched = 0;     // vote states that could not be paired with their vote
    double windowSeconds = 0;
    double p50Ms = 0, p99Ms = 0, maxMs = 0;
    std::size_t latencySamples = 0;
    std::uint64_t connectErrors = 0;
    std::uint64_t unexpectedCloses = 0;
    std::map<std::string, std::uint64_t> errorCodes;
    ProcessSample serverIdle, serverLoaded, serverStart, serverEnd;
    ProcessSample helperStart, helperEnd;
    double generatorCpuShare = 0;  // of one core, during the window
    std::uint64_t errors() const;
};

class LoadGenerator {
  public:
    explicit LoadGenerator(LoadOptions options);
    ~LoadGenerator();
    LoadReport run();

  private:
    enum class State { idle, connecting, handshaking, open, closed };
    struct Client {
        int fd = -1;
        int room = 0;
        int slot = 0;
        State state = State::idle;
        std::string out;
        std::size_t outOffset = 0;
        bool watchingWrite = false;
        std::string in;
        std::string fragments;
        std::string participantId;
        std::string resumeToken;
        bool welcomed = false;
        bool cardToggle = false;
        std::uint64_t lastSeqSeen = 0;  // the room's last vote whose state reached us
        bool closingOnPurpose = false;
    };
    struct Vote {
        std::uint64_t seq = 0;
        std::string voterId;
        Clock::time_point sentAt;
        bool failed = false;
        bool measured = false;
    };
    struct Room {
        std::vector<int> members;
        int nextVoter = 0;
        std::uint64_t seq = 0;  // votes sent so far
        bool inFlight = false;
        bool owed = false;        // a vote fell due while the previous one was in flight
        std::deque<Vote> recent;  // the last votes, oldest first
    };

    void startConnection(int index);
    void onEvent(int index, std::uint32_t events);
    void onWritable(Client& client, int index);
    void onReadable(Client& client, int index);
    void onHandshakeBytes(Client& client, int index);
    void onFrames(Client& client, int index);
    void onMessage(Client& client, int index, std::string_view text);
    void onState(Client& client, int index, std::string_view text);
    void onAck(Client& client, std::string_view text, bool failed);
    void sendText(Client& client, int index, const std::string& text);
    void sendRaw(Client& client, int index, std::string bytes);
    void flush(Client& client, int index);
    void closeClient(Client& client, int index, bool onPurpose);
    void sendJoin(Client& client, int index);
    void sendVote(int roomIndex);
    void churnOne();
    bool measuring(Clock::time_point at) const;
    void pump(Clock::time_point until);
    void runVotes();

    LoadOptions options_;
    int epoll_ = -1;
    std::vector<Client> clients_;
    std::vector<Room> rooms_;
    std::uint32_t maskState_ = 0x9E3779B9u;
    Clock::time_point connectStart_;
    Clock::time_point windowStart_ = Clock::time_point::max();
    Clock::time_point windowEnd_ = Clock::time_point::max();
    bool votingStarted_ = false;
    using Due = std::pair<Clock::time_point, int>;
    std::priority_queue<Due, std::vector<Due>, std::greater<Due>> dueVotes_;
    std::vector<int> reconnecting_;
    LatencySamples latency_;
    LoadReport report_;
};

}  // namespace fp::bench
