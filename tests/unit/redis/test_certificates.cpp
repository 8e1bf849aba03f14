#include "test_certificates.hpp"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace fp::testing {
namespace {
namespace fs = std::filesystem;

// EC keys: made in milliseconds, unlike RSA.
const char* const kNewKey = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out)
        throw std::runtime_error("test certificates: cannot write " + path);
}
}  // namespace

void TestCertificates::openssl(const std::string& args) const {
    const std::string log = dir_ + "/openssl.log";
    const std::string command = "cd '" + dir_ + "' && openssl " + args + " > '" + log + "' 2>&1";
    const int status = std::system(command.c_str());
    if (status != 0) {
        std::ifstream in(log);
        std::stringstream text;
        text << in.rdbuf();
        throw std::runtime_error("test certificates: `openssl " + args + "` failed (status " +
                                 std::to_string(status) +
                                 "; is the openssl command installed?):\n" + text.str());
    }
}

TestCertificates::TestCertificates() {
    char pattern[] = "/tmp/fp-redis-certs-XXXXXX";
    if (::mkdtemp(pattern) == nullptr)
        throw std::runtime_error("test certificates: cannot create a temporary folder");
    dir_ = pattern;
    try {
        const std::string caExtensions =
            " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign";
        openssl(std::string("req -x509 ") + kNewKey +
                " -keyout ca.key -out ca.crt -days 2 -subj '/CN=Fire Poker test CA'" +
                caExtensions);
        openssl(std::string("req -x509 ") + kNewKey +
                " -keyout other-ca.key -out other-ca.crt -days 2 -subj '/CN=Some other CA'" +
                caExtensions);
        writeFile(dir_ + "/server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        writeFile(dir_ + "/other-name.ext", "subjectAltName=DNS:redis.internal\n");
        openssl(std::string("req ") + kNewKey +
                " -keyout server.key -out server.csr -subj '/CN=localhost'");
        const std::string sign =
            "x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial";
        openssl(sign + " -days 2 -extfile server.ext -out server.crt");
        // A negative validity: not after is a day before now.
        openssl(sign + " -days -1 -extfile server.ext -out expired.crt");
        openssl(sign + " -days 2 -extfile other-name.ext -out other-name.crt");
        openssl(std::string("req ") + kNewKey +
                " -keyout client.key -out client.csr -subj '/CN=fire-poker client'");
        openssl(
            "x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 "
            "-out client.crt");
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
        throw;
    }
}

TestCertificates::~TestCertificates() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

const TestCertificates& sharedCertificates() {
    static std::mutex mutex;
    static std::unique_ptr<TestCertificates> instance;
    std::lock_guard<std::mutex> lock(mutex);
    if (!instance)
        instance = std::make_unique<TestCertificates>();
    return *instance;
}

}  // namespace fp::testing
