#include "serverlib/transport.h"

#include <QtEndian>

#include <netinet/in.h>
#include <sys/socket.h>

namespace Server {

PeerName peerNameOf(qintptr descriptor)
{
    sockaddr_storage storage {};
    socklen_t length = sizeof storage;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return {};
    PeerName peer;
    int port = 0;
    peer.address = QHostAddress(reinterpret_cast<const sockaddr *>(&storage));
    if (storage.ss_family == AF_INET)
        port = reinterpret_cast<const sockaddr_in *>(&storage)->sin_port;
    else if (storage.ss_family == AF_INET6)
        port = reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port;
    peer.port = qFromBigEndian(quint16(port));
    return peer;
}

} // namespace Server
