#pragma once

#include <QLoggingCategory>

// "qtchat.client", info and up by default; QT_LOGGING_RULES="qtchat.client.debug=true" adds
// every line sent and received.
Q_DECLARE_LOGGING_CATEGORY(lcClient)
