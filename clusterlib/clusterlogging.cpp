#include "clusterlib/clusterlogging.h"

namespace Cluster {

Q_LOGGING_CATEGORY(lcCluster, "qtchat.cluster")

} // namespace Cluster
