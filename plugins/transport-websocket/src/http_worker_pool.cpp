#include "http_worker_pool.hpp"

#include <Poco/Net/TCPServerConnection.h>
#include <pthread.h>

#include <exception>
#include <memory>
#include <system_error>
#include <utility>

namespace fp::websocket {

HttpWorkerPool::HttpWorkerPool(Poco::Net::TCPServerConnectionFactory::Ptr factory,
                               std::size_t maxThreads, std::size_t maxQueued)
    : factory_(std::move(factory)), maxThreads_(maxThreads), maxQueued_(maxQueued) {}

HttpWorkerPool::~HttpWorkerPool() {
    stop();
}

bool HttpWorkerPool::enqueue(const Poco::Net::StreamSocket& socket) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_ || queue_.size() >= maxQueued_)
        return false;
    queue_.push_back(socket);
    if (idle_ < queue_.size() && threads_.size() < maxThreads_) {
        try {
            threads_.emplace_back([this] { work(); });
        } catch (const std::system_error&) {
            // No new thread now: the connection waits for a running one.
        }
    }
    available_.notify_one();
    return true;
}

void HttpWorkerPool::work() {
    ::pthread_setname_np(::pthread_self(), "fp-http");
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        ++idle_;
        available_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
        --idle_;
        if (stopped_)
            return;
        Poco::Net::StreamSocket socket = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        try {
            std::unique_ptr<Poco::Net::TCPServerConnection> connection(
                factory_->createConnection(socket));
            // What TCPServerConnection::start() does (it is reserved for POCO's dispatcher).
            static_cast<Poco::Runnable&>(*connection).run();
        } catch (...) {
            // Network errors and timeouts of one connection (POCO's dispatcher hands them to an
            // ErrorHandler that does nothing by default): the socket closes below.
        }
        socket = Poco::Net::StreamSocket();  // closed before waiting for the next one
        lock.lock();
    }
}

void HttpWorkerPool::stop(const std::function<void()>& abortRunning) {
    std::lock_guard<std::mutex> stopping(stopMutex_);
    std::deque<Poco::Net::StreamSocket> dropped;
    std::vector<std::thread> threads;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopped_)
            return;
        stopped_ = true;
        dropped.swap(queue_);
        threads.swap(threads_);
    }
    available_.notify_all();
    dropped.clear();  // closes them
    if (abortRunning)
        abortRunning();
    for (auto& thread : threads)
        thread.join();
}

bool HttpWorkerPool::full() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size() >= maxQueued_;
}

std::size_t HttpWorkerPool::threadCount() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return threads_.size();
}

}  // namespace fp::websocket
