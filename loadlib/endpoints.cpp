#include "loadlib/endpoints.h"

#include <QString>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

namespace Load {

std::optional<Endpoints> Endpoints::resolve(const LoadOptions &options, QString *error)
{
    addrinfo hints {};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const int status = getaddrinfo(options.host.constData(), nullptr, &hints, &found);
    if (status != 0 || !found) {
        *error = QStringLiteral("cannot resolve %1: %2")
                     .arg(QString::fromUtf8(options.host), QString::fromUtf8(gai_strerror(status)));
        return std::nullopt;
    }
    Endpoints endpoints;
    endpoints.m_server = *reinterpret_cast<const sockaddr_in *>(found->ai_addr);
    endpoints.m_server.sin_port = htons(options.port);
    endpoints.m_sourceAddresses = options.sourceAddresses;
    freeaddrinfo(found);
    return endpoints;
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
