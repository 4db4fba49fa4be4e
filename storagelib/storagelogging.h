#pragma once

#include <QLoggingCategory>

namespace Storage {

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

} // namespace Storage
