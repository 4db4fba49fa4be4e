#include "clientlib/clientlogging.h"

namespace Client {

Q_LOGGING_CATEGORY(lcClient, "qtchat.client", QtInfoMsg)

} // namespace Client
