// Registers Catch2 (2.x) test cases at run time from plain functions, so a conformance kit
// can be instantiated once per plugin with a factory:
//   static const bool registered = fp::testkit::registerStorageConformance("my-storage", make);
// Call it at namespace scope (static initialisation), before Catch's main runs.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <utility>

namespace fp::testkit {

namespace detail {
class FunctionInvoker final : public Catch::ITestInvoker {
  public:
    explicit FunctionInvoker(std::function<void()> body) : body_(std::move(body)) {}
    void invoke() const override { body_(); }

  private:
    std::function<void()> body_;
};
}  // namespace detail

// `name` must be unique in the test program and free of ';' (CTest's catch_discover_tests
// splits names on it); `tags` like "[storage][conformance]".
inline void registerTestCase(const std::string& name, const std::string& tags,
                             std::function<void()> body) {
    try {
        Catch::getMutableRegistryHub().registerTest(
            Catch::makeTestCase(new detail::FunctionInvoker(std::move(body)), "",
                                Catch::NameAndTags(name.c_str(), tags.c_str()),
                                Catch::SourceLineInfo(__FILE__, __LINE__)));
    } catch (...) {
        // Reported by Catch when the session starts (e.g. a duplicate name).
        Catch::getMutableRegistryHub().registerStartupException();
    }
}

}  // namespace fp::testkit
