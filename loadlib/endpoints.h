#pragma once

#include "loadlib/loadoptions.h"

#include <netinet/in.h>

#include <optional>
#include <vector>

namespace Load {

// Where clients connect to and which local address each binds first.
class Endpoints
{
public:
    // nullopt (and `error`) when a host does not resolve to an IPv4 address.
    static std::optional<Endpoints> resolve(const LoadOptions &options, QString *error);

    // The server client `client` connects to (LoadOptions::serverOf).
    const sockaddr_in &serverFor(int client) const;
    // One local port range serves each (source, destination) pair, so spreading clients over
    // 127.0.0.1..N lifts the ~28k connection limit of one pair. nullopt: let the kernel pick.
    std::optional<in_addr> sourceFor(int client) const;

private:
    static std::optional<sockaddr_in> resolveOne(const ServerAddress &address, QString *error);

    std::vector<sockaddr_in> m_servers;
    LoadOptions m_options; // for serverOf()
    int m_sourceAddresses = 1;
};

} // namespace Load
