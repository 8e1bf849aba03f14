#include "metrics/prometheus_text.hpp"

#include <cmath>
#include <sstream>

namespace fp::metrics {

std::string prometheusNumber(double value) {
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    std::ostringstream out;
    out.precision(10);
    out << value;
    return out.str();
}

std::string prometheusLabelValue(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

void prometheusHeader(std::string& out, const std::string& name, const char* type,
                      const std::string& help) {
    out += "# HELP " + name + " ";
    for (char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    out += "\n# TYPE " + name + " " + type + "\n";
}

}  // namespace fp::metrics
