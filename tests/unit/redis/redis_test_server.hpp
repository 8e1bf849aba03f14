// A real redis-server for one test: started on a free port in a temporary folder, stopped
// (and the folder removed) at the end. A missing redis-server binary throws, so the test
// fails with a clear message instead of being skipped. With `tls`, it serves TLS only
// (--port 0 --tls-port).
#pragma once

#include <sys/types.h>

#include <optional>
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
        struct Tls {
            std::string certFile = {};  // the server's certificate and key
            std::string keyFile = {};
            std::string caFile = {};  // --tls-ca-cert-file (and what command() trusts)
            // tls-auth-clients yes: clients must show a certificate signed by caFile;
            // command() then shows clientCertFile.
            bool authClients = false;
            std::string clientCertFile = {};
            std::string clientKeyFile = {};
            // False for a certificate made to fail verification (expired, another name):
            // the server counts as started once its port accepts connections, and
            // command() cannot be used.
            bool verifiable = true;
        };
        // Serve TLS only on port(); with clusterMode the cluster bus is TLS too.
        std::optional<Tls> tls = std::nullopt;
    };
    // TLS with the shared test certificates (TestCertificates): a valid server certificate
    // for localhost and 127.0.0.1.
    static Options tlsOptions();

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
    // redis://127.0.0.1:PORT/0, or with tls rediss://localhost:PORT/0 (the name checked
    // against the certificate).
    std::string url() const;
    // With tls: the url's scheme and port with another host ("127.0.0.1", "redis.internal").
    std::string urlWithHost(const std::string& host) const;

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
