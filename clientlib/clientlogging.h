#pragma once

#include <QLoggingCategory>

namespace Client {

// "qtchat.client", info and up by default; QT_LOGGING_RULES="qtchat.client.debug=true" adds
// every line sent and received.
Q_DECLARE_LOGGING_CATEGORY(lcClient)

} // namespace Client
