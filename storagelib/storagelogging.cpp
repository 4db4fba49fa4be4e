#include "storagelib/storagelogging.h"

namespace Storage {

Q_LOGGING_CATEGORY(lcStorage, "qtchat.storage")

} // namespace Storage
