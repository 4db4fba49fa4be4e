#include "serverlib/mailbox.h"

namespace Server {

template class WakingQueue<Delivery>;

} // namespace Server
