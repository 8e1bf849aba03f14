// A real redis-server for one test: started on a free port in a temporary folder, stopped
// (and the folder removed) at the end. A missing redis-server binary throws, so the test
// fails with a clear message instead of being skipped.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace fp::testing {

class RedisTestServer {
  public:
    struct Options {
        bool appendOnly = false;  // keep data across stop()/start() (fsync every write)
        // `cluster-enabled yes` with all 16384 slots on this one node: commands whose keys
        // span two hash slots fail with CROSSSLOT, as on a real Redis Cluster.
        bool clusterMode = false;
        // With clusterMode: take all 16384 slots (a one-node cluster); false for a node that
        // joins a cluster of several (RedisTestCluster assigns the slots).
        bool ownAllSlots = true;
    };

    RedisTestServer();
    explicit RedisTestServer(Options options);
    ~RedisTestServer();
    RedisTestServer(const RedisTestServer&) = delete;
    RedisTestServer& operator=(const RedisTestServer&) = delete;

    int port() const { return port_; }
    // Cluster mode: the port of the cluster bus (given to CLUSTER MEET).
    int clusterBusPort() const { return clusterBusPort_; }
    // The node id (CLUSTER MYID) of a cluster-mode server.
    std::string nodeId() const { return command({"CLUSTER", "MYID"}); }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

    // SIGTERM and wait; start() again on the same port (with appendOnly, the data is back).
    void stop();
    void start();
    // SIGKILL: no chance to close connections politely.
    void kill();
    // SIGSTOP / SIGCONT: a server that hangs with its connections open.
    void pause();
    void resume();

    // One command over a fresh connection; throws std::runtime_error on failure. Replies are
    // flattened to text (arrays joined by '\n', nil as "(nil)").
    std::string command(const std::vector<std::string>& words) const;

  private:
    void spawn();
    bool waitReady(int timeoutMs) const;
    // Assigns every slot to this node (once; nodes.conf keeps them) and waits for state ok.
    void claimAllSlots();
    void reap(int signal);

    Options options_;
    std::string binary_;
    std::string dir_;
    int port_ = 0;
    int clusterBusPort_ = 0;  // cluster mode: its own free port (not port + 10000)
    pid_t pid_ = -1;
};

}  // namespace fp::testing
