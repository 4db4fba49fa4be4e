#pragma once

#include "serverlib/session.h"

namespace Server {

// The seed tutorial's server, for its own Python clients: every chunk received is logged as a
// message from that client and answered with 收到收到; a chunk reading `Q` ends the connection.
class TutorialSession : public Session
{
    Q_OBJECT

public:
    using Session::Session;

protected:
    void processInput() override;
    void connectionClosed(const QString &) override { }
};

} // namespace Server
