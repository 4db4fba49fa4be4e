#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Client {

// The nick to try after `attempt` refusals (433) of `wanted`: wanted_, wanted_2, wanted_3 ...
// The base is cut so that the result fits `maxLength`.
QByteArray alternativeNick(QByteArrayView wanted, int attempt, qsizetype maxLength);

} // namespace Client
