#pragma once

#include "storagelib/storagetypes.h"

namespace Storage {

class SqlConnection;

// The accounts table. Names are unique after folding (the server's case mapping), kept as
// registered for display.
class AccountTable
{
public:
    explicit AccountTable(SqlConnection &connection) : m_connection(connection) { }

    // Duplicate when the folded name is taken. The result carries the stored account.
    Result create(const Account &account);
    // The account with its hash, for checking a password (SASL, login).
    Result find(const QByteArray &name);
    Result setVerified(const QByteArray &name);

private:
    Result failure() const;

    SqlConnection &m_connection;
};

} // namespace Storage
