#include "serverlib/serverlogging.h"

namespace Server {

Q_LOGGING_CATEGORY(lcServer, "qtchat.server")

} // namespace Server
