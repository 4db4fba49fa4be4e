#include "tests/support/scriptedservers.h"

bool ScriptedServers::start(Server::ServerConfig config)
{
    config.port = 0;
    config.limits.noLimits = true;
    if (!m_server.start(config)) {
        m_error = QStringLiteral("QtChat did not start");
        return false;
    }
    if (!NgircdProcess::isAvailable()) {
        m_error = NgircdProcess::unavailableReason();
        return false;
    }
    if (!m_ngircd.start()) {
        m_error = m_ngircd.errorString();
        return false;
    }
    return true;
}

void ScriptedServers::stop()
{
    m_server.stop();
    m_ngircd.stop();
}

IrcScript::RowResult ScriptedServers::playRow()
{
    return IrcScript::playRow(m_server.serverPort(), m_ngircd.port(),
                              m_tagPrefix + QByteArray::number(++m_nextTag));
}
