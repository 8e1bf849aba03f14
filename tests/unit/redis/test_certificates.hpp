// A throwaway CA and certificates for the TLS tests, made with the openssl command in a
// temporary folder (removed at the end). A missing openssl binary throws: the tests fail
// rather than skip.
#pragma once

#include <string>

namespace fp::testing {

class TestCertificates {
  public:
    TestCertificates();
    ~TestCertificates();
    TestCertificates(const TestCertificates&) = delete;
    TestCertificates& operator=(const TestCertificates&) = delete;

    // The CA that signs every certificate below (give it as tlsCaFile).
    std::string caFile() const { return dir_ + "/ca.crt"; }
    // Another CA that signed none of them (a wrong tlsCaFile).
    std::string otherCaFile() const { return dir_ + "/other-ca.crt"; }
    // The server's certificate: names localhost and 127.0.0.1, valid for two days.
    std::string serverCertFile() const { return dir_ + "/server.crt"; }
    std::string serverKeyFile() const { return dir_ + "/server.key"; }
    // The same names and key, expired a day ago.
    std::string expiredCertFile() const { return dir_ + "/expired.crt"; }
    // Valid, but only for redis.internal.
    std::string otherNameCertFile() const { return dir_ + "/other-name.crt"; }
    // A client certificate signed by the CA (for tls-auth-clients yes).
    std::string clientCertFile() const { return dir_ + "/client.crt"; }
    std::string clientKeyFile() const { return dir_ + "/client.key"; }
    const std::string& dir() const { return dir_; }

  private:
    // Runs openssl with `args` in the folder; throws with its output when it fails.
    void openssl(const std::string& args) const;

    std::string dir_;
};

// One set for the whole test process (made on first use).
const TestCertificates& sharedCertificates();

}  // namespace fp::testing
