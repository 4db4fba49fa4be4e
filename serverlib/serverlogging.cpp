#include "serverlib/serverlogging.h"

Q_LOGGING_CATEGORY(lcServer, "qtchat.server")
