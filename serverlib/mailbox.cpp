#include "serverlib/mailbox.h"

template class Concurrent::WakingQueue<Server::Delivery>;
