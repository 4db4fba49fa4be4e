#include "clientlib/clientlogging.h"

Q_LOGGING_CATEGORY(lcClient, "qtchat.client", QtInfoMsg)
