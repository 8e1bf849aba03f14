// The threads that run POCO's HTTP connections (HTTPServerConnection, made by POCO's
// HTTPServerConnectionFactory): what Poco::Net::TCPServerDispatcher does, with a stop that
// returns as soon as the running requests end. (POCO 1.11's dispatcher wakes only one idle thread
// on stop; the others sleep out their whole idle time, so joining its pool took up to a minute
// after a burst.)
//
// Connections arrive with their request head already received (see PreAcceptStage), so a worker
// never waits for a client to start talking.
#pragma once

#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fp::websocket {

class HttpWorkerPool {
  public:
    // Threads start when needed, up to maxThreads, and stay until stop().
    HttpWorkerPool(Poco::Net::TCPServerConnectionFactory::Ptr factory, std::size_t maxThreads,
                   std::size_t maxQueued);
    ~HttpWorkerPool();
    HttpWorkerPool(const HttpWorkerPool&) = delete;
    HttpWorkerPool& operator=(const HttpWorkerPool&) = delete;

    // Any thread. False (the socket untouched) when maxQueued connections already wait, or
    // after stop().
    bool enqueue(const Poco::Net::StreamSocket& socket);

    // Idempotent. Closes the connections still queued, calls `abortRunning` (which should make
    // the running ones end, e.g. by shutting their sockets down), then joins every thread.
    void stop(const std::function<void()>& abortRunning = {});

    bool full() const;
    std::size_t threadCount() const;

  private:
    void work();

    Poco::Net::TCPServerConnectionFactory::Ptr factory_;
    const std::size_t maxThreads_;
    const std::size_t maxQueued_;

    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::deque<Poco::Net::StreamSocket> queue_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    bool stopped_ = false;
    std::mutex stopMutex_;  // one stop() at a time
};

}  // namespace fp::websocket
