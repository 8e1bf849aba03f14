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
    };

    RedisTestServer();
    explicit RedisTestServer(Options options);
    ~RedisTestServer();
    RedisTestServer(const RedisTestServer&) = delete;
    RedisTestServer& operator=(const RedisTestServer&) = delete;

    int port() const { return port_; }
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
    void reap(int signal);

    Options options_;
    std::string binary_;
    std::string dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace fp::testing
