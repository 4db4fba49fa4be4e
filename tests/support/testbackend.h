#pragma once

#include "serverlib/chatserver.h"
#include "tests/support/ngircdprocess.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

// An IRC server for a client test to talk to: a real ngircd, or the in-process QtChat server
// in one threading model. Data-driven client tests run once per backend row.
class TestBackend
{
public:
    virtual ~TestBackend() = default;
    // False with `error` set when the server cannot start, or is not installed: the set-up
    // installs every server a test needs, so a missing one is a failure, never a skip.
    virtual bool start(const QByteArray &password, QString *error) = 0;
    virtual quint16 port() const = 0;
    // The IRCv3 capabilities the server offers that ChatClient asks for: what a client
    // registered with it has enabled.
    virtual QStringList capabilities() const = 0;

    // The rows "ngircd", "qtchat-pool", "qtchat-per-connection", "qtchat-single".
    static void addRows();
    // nullptr for an unknown row name.
    static std::unique_ptr<TestBackend> make(QByteArrayView row);
};

class NgircdBackend : public TestBackend
{
public:
    bool start(const QByteArray &password, QString *error) override;
    quint16 port() const override { return m_ngircd.port(); }
    // ngircd 26 offers only multi-prefix.
    QStringList capabilities() const override { return {QStringLiteral("multi-prefix")}; }

private:
    NgircdProcess m_ngircd;
};

class QtChatBackend : public TestBackend
{
public:
    explicit QtChatBackend(Server::ThreadingModel model) : m_model(model) { }
    ~QtChatBackend() override { m_server.stop(); }
    bool start(const QByteArray &password, QString *error) override;
    quint16 port() const override { return m_server.serverPort(); }
    // QtChat's server offers every capability ChatClient asks for.
    QStringList capabilities() const override;

private:
    Server::ThreadingModel m_model;
    Server::ChatServer m_server;
};
