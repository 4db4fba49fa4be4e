#pragma once

#include <QtGlobal>

namespace Irc {
struct IrcMessage;
} // namespace Irc

namespace Load {

class LoadClient;

// What a run learns from its clients. Callbacks run inside EpollLoop::poll(): a listener may
// queue lines or close the client, but must not delete it until poll() has returned.
class LoadClientListener
{
public:
    virtual ~LoadClientListener() = default;

    virtual void clientReady(LoadClient &client) = 0; // registered and in every channel
    virtual void clientFailed(LoadClient &client) = 0; // see LoadClient::failure()
    virtual void clientClosed(LoadClient &client) = 0; // after quit(): the server closed
    // Any line after set-up other than PING and errors, with the time it was read.
    virtual void clientMessage(LoadClient &client, const Irc::IrcMessage &message, qint64 readNs)
        = 0;
    // Everything queued was written and the client asked for more room (setWantsWritable).
    virtual void clientWritable(LoadClient &client) = 0;
};

} // namespace Load
