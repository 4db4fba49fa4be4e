#include "loadlib/endpoints.h"

#include <QString>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

namespace Load {

std::optional<Endpoints> Endpoints::resolve(const LoadOptions &options, QString *error)
{
    Endpoints endpoints;
    for (const ServerAddress &address : options.serverAddresses()) {
        const std::optional<sockaddr_in> server = resolveOne(address, error);
        if (!server)
            return std::nullopt;
        endpoints.m_servers.push_back(*server);
    }
    endpoints.m_options = options;
    endpoints.m_sourceAddresses = options.sourceAddresses;
    return endpoints;
}

std::optional<sockaddr_in> Endpoints::resolveOne(const ServerAddress &address, QString *error)
{
    addrinfo hints {};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const int status = getaddrinfo(address.host.constData(), nullptr, &hints, &found);
    if (status != 0 || !found) {
        *error = QStringLiteral("cannot resolve %1: %2")
                     .arg(QString::fromUtf8(address.host), QString::fromUtf8(gai_strerror(status)));
        return std::nullopt;
    }
    sockaddr_in server = *reinterpret_cast<const sockaddr_in *>(found->ai_addr);
    server.sin_port = htons(address.port);
    freeaddrinfo(found);
    return server;
}

const sockaddr_in &Endpoints::serverFor(int client) const
{
    return m_servers[size_t(m_options.serverOf(client))];
}

std::optional<in_addr> Endpoints::sourceFor(int client) const
{
    if (m_sourceAddresses <= 1)
        return std::nullopt;
    in_addr address {};
    address.s_addr = htonl(INADDR_LOOPBACK + quint32(client % m_sourceAddresses));
    return address;
}

} // namespace Load
