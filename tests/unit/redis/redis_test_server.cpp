#include "redis_test_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "redis_connection.hpp"
#include "test_certificates.hpp"

extern char** environ;

namespace fp::testing {
namespace {
namespace fs = std::filesystem;

std::string findRedisServer() {
    if (const char* configured = std::getenv("FP_REDIS_SERVER"); configured && *configured)
        return configured;
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    path += ":/usr/bin:/usr/sbin:/usr/local/bin";
    std::stringstream folders(path);
    std::string folder;
    while (std::getline(folders, folder, ':')) {
        if (folder.empty())
            continue;
        const fs::path candidate = fs::path(folder) / "redis-server";
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate.string();
    }
    throw std::runtime_error(
        "redis-server was not found in PATH (nor FP_REDIS_SERVER): install the redis-server "
        "package. These tests need a real Redis; they fail rather than skip.");
}

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error("cannot find a free TCP port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool acceptsConnections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool accepted =
        fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    if (fd >= 0)
        ::close(fd);
    return accepted;
}

std::string flatten(const redisReply* reply) {
    switch (reply->type) {
        case REDIS_REPLY_NIL:
            return "(nil)";
        case REDIS_REPLY_INTEGER:
            return std::to_string(reply->integer);
        case REDIS_REPLY_ARRAY: {
            std::string out;
            for (std::size_t i = 0; i < reply->elements; ++i)
                out += (i ? "\n" : "") + flatten(reply->element[i]);
            return out;
        }
        default:
            return std::string(reply->str, reply->len);
    }
}
}  // namespace

RedisTestServer::Options RedisTestServer::tlsOptions() {
    const auto& certificates = sharedCertificates();
    Options options;
    options.tls = Options::Tls{certificates.serverCertFile(), certificates.serverKeyFile(),
                               certificates.caFile()};
    return options;
}

std::string RedisTestServer::url() const {
    return options_.tls ? urlWithHost("localhost") : urlWithHost("127.0.0.1");
}

std::string RedisTestServer::urlWithHost(const std::string& host) const {
    return (options_.tls ? "rediss://" : "redis://") + host + ":" + std::to_string(port_) + "/0";
}

RedisTestServer::RedisTestServer() : RedisTestServer(Options{}) {}

RedisTestServer::RedisTestServer(Options options) : options_(options), binary_(findRedisServer()) {
    char pattern[] = "/tmp/fp-redis-test-XXXXXX";
    if (::mkdtemp(pattern) == nullptr)
        throw std::runtime_error("cannot create a temporary folder for redis-server");
    dir_ = pattern;
    for (int attempt = 0;; ++attempt) {
        port_ = freePort();
        clusterBusPort_ = 0;
        try {
            start();
            return;
        } catch (const std::exception&) {
            if (attempt >= 2) {
                fs::remove_all(dir_);
                throw;
            }
        }
    }
}

RedisTestServer::~RedisTestServer() {
    reap(SIGKILL);
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

void RedisTestServer::spawn() {
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {binary_,
                                     "--port",
                                     options_.tls ? "0" : port,
                                     "--bind",
                                     "127.0.0.1",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     options_.appendOnly ? "yes" : "no",
                                     "--appendfsync",
                                     "always",
                                     "--dir",
                                     dir_,
                                     "--daemonize",
                                     "no",
                                     "--loglevel",
                                     "warning"};
    if (options_.clusterMode) {
        if (clusterBusPort_ == 0)
            clusterBusPort_ = freePort();
        args.insert(args.end(), {"--cluster-enabled", "yes", "--cluster-config-file",
                                 dir_ + "/nodes.conf", "--cluster-node-timeout", "5000",
                                 "--cluster-port", std::to_string(clusterBusPort_)});
    }
    if (options_.tls) {
        args.insert(args.end(), {"--tls-port", port, "--tls-cert-file", options_.tls->certFile,
                                 "--tls-key-file", options_.tls->keyFile, "--tls-ca-cert-file",
                                 options_.tls->caFile, "--tls-auth-clients",
                                 options_.tls->authClients ? "yes" : "no"});
        if (options_.clusterMode)
            args.insert(args.end(), {"--tls-cluster", "yes"});
    }
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = dir_ + "/redis.log";
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + binary_ + ": " + std::strerror(rc));
    }
}

void RedisTestServer::start() {
    if (pid_ > 0)
        return;
    spawn();
    if (!waitReady(5000)) {
        reap(SIGKILL);
        std::ifstream in(dir_ + "/redis.log");
        std::stringstream text;
        text << in.rdbuf();
        throw std::runtime_error("redis-server did not answer on port " + std::to_string(port_) +
                                 " within 5 s; its log:\n" + text.str());
    }
    if (options_.clusterMode && options_.ownAllSlots)
        claimAllSlots();
}

void RedisTestServer::claimAllSlots() {
    // A restarted node remembers its slots in nodes.conf; ADDSLOTSRANGE would then fail.
    if (command({"CLUSTER", "INFO"}).find("cluster_slots_assigned:16384") == std::string::npos) {
        const auto answer = command({"CLUSTER", "ADDSLOTSRANGE", "0", "16383"});
        if (answer != "OK")
            throw std::runtime_error("redis test server: CLUSTER ADDSLOTSRANGE answered " + answer);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (command({"CLUSTER", "INFO"}).find("cluster_state:ok") == std::string::npos) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("redis test server: cluster state not ok within 10 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

bool RedisTestServer::waitReady(int timeoutMs) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_)
            return false;  // exited (port taken...)
        if (options_.tls && !options_.tls->verifiable) {
            if (acceptsConnections(port_))
                return true;
        } else {
            try {
                if (command({"PING"}) == "PONG")
                    return true;
            } catch (const std::exception&) {
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

void RedisTestServer::reap(int signal) {
    if (pid_ <= 0)
        return;
    ::kill(pid_, SIGCONT);  // a paused server must see the signal
    ::kill(pid_, signal);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
}

void RedisTestServer::stop() {
    reap(SIGTERM);
}

void RedisTestServer::kill() {
    reap(SIGKILL);
}

void RedisTestServer::pause() {
    if (pid_ > 0)
        ::kill(pid_, SIGSTOP);
}

void RedisTestServer::resume() {
    if (pid_ > 0)
        ::kill(pid_, SIGCONT);
}

std::string RedisTestServer::command(const std::vector<std::string>& words) const {
    // The plugins' own connection (plain or TLS): fine for a test helper, and what fails
    // here fails with the same words as in the plugins.
    fp::plugins::redis::RedisSettings settings;
    settings.address = fp::plugins::redis::parseRedisUrl(urlWithHost("127.0.0.1"));
    settings.connectTimeout = settings.commandTimeout = std::chrono::milliseconds(2000);
    if (options_.tls) {
        fp::plugins::redis::TlsOptions tls;
        tls.caFile = options_.tls->caFile;
        if (options_.tls->authClients) {
            tls.certFile = options_.tls->clientCertFile;
            tls.keyFile = options_.tls->clientKeyFile;
        }
        settings.tls = std::make_shared<const fp::plugins::redis::TlsClient>(tls);
    }
    fp::plugins::redis::RedisConnection connection(settings);
    std::string error;
    fp::plugins::redis::ReplyPtr reply;
    if (!connection.open(error) || !connection.run(words, reply, error))
        throw std::runtime_error("redis test server: " + error);
    return flatten(reply.get());
}

}  // namespace fp::testing
