#pragma once

#include <QLoggingCategory>

namespace Cluster {

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

} // namespace Cluster
