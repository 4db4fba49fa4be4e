#pragma once

#include "loadlib/loadoptions.h"

#include <netinet/in.h>

#include <optional>

namespace Load {

// Where clients connect to and which local address each binds first.
class Endpoints
{
public:
    // nullopt (and `error`) when the host does not resolve to an IPv4 address.
    static std::optional<Endpoints> resolve(const LoadOptions &options, QString *error);

    const sockaddr_in &server() const { return m_server; }
    // One local port range serves each (source, destination) pair, so spreading clients over
    // 127.0.0.1..N lifts the ~28k connection limit of one pair. nullopt: let the kernel pick.
    std::optional<in_addr> sourceFor(int client) const;

private:
    sockaddr_in m_server {};
    int m_sourceAddresses = 1;
};

} // namespace Load
