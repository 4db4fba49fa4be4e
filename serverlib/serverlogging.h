#pragma once

#include <QLoggingCategory>

namespace Server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

} // namespace Server
