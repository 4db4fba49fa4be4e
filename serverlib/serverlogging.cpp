#include "serverlib/serverlogging.h"

namespace Server {

Q_LOGGING_CATEGORY(lcServer, "qtchat.server")
Q_LOGGING_CATEGORY(lcSupervisor, "qtchat.supervisor")

} // namespace Server
