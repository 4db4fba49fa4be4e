#pragma once

#include <QLoggingCategory>

namespace Server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcSupervisor) // ProcessSupervisor

} // namespace Server
