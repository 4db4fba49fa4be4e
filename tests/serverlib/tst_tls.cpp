// TLS: a server with a certificate made for the test, real QSslSocket clients that trust that
// certificate (and nothing else they would not trust anyway), and the ways it can go wrong.
#include "clientlib/chatclient.h"
#include "protocol/linesplitter.h"
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "tests/support/rawclient.h"
#include "tests/support/testcertificate.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace Numeric = Irc::Numeric;

namespace {

// A TLS connection that reads IRC lines: what RawClient is for plain TCP.
class TlsClient : public QObject
{
public:
    bool connectTo(quint16 port, const QSslCertificate &serverCertificate)
    {
        // Exactly the one error a self-signed certificate causes, for exactly that certificate.
        m_socket.ignoreSslErrors({QSslError(QSslError::SelfSignedCertificate, serverCertificate)});
        connect(&m_socket, &QSslSocket::readyRead, this, &TlsClient::readLines);
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return QTest::qWaitFor([this] { return m_socket.isEncrypted(); }, 5000);
    }
    void send(const QByteArray &line) { m_socket.write(line + "\r\n"); }
    std::optional<Irc::IrcMessage> expect(const QByteArray &command)
    {
        auto found = [&] {
            return std::find_if(m_pending.cbegin(), m_pending.cend(),
                                [&](const Irc::IrcMessage &m) { return m.command == command; });
        };
        if (!QTest::qWaitFor([&] { return found() != m_pending.cend(); }, 5000))
            return std::nullopt;
        const qsizetype index = found() - m_pending.cbegin();
        const Irc::IrcMessage message = m_pending[index];
        m_pending.remove(0, index + 1);
        return message;
    }
    QSslSocket &socket() { return m_socket; }

private:
    void readLines()
    {
        m_splitter.append(m_socket.readAll());
        Irc::LineSplitter::Line line;
        while (m_splitter.next(&line)) {
            if (std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line.text))
                m_pending.append(*message);
        }
    }

    QSslSocket m_socket;
    Irc::LineSplitter m_splitter;
    QList<Irc::IrcMessage> m_pending;
};

} // namespace

class TestTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void clientsChatOverTls();
    void plainTextClientGetsNothingAndIsClosed();
    void silentConnectionIsClosedByTheRegistrationTimeout();
    void nonReadingTlsClientHitsTheSendQueue();
    void badCertificateOrKeyIsAClearStartError_data();
    void badCertificateOrKeyIsAClearStartError();
    void chatClientTrustsOnlyThePinnedCertificate();

private:
    Server::ServerConfig tlsConfig() const;
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    QTemporaryDir m_dir;
    QSslCertificate m_certificate;
    std::unique_ptr<Server::ChatServer> m_server;
};

void TestTls::initTestCase()
{
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend (libssl3)");
    QVERIFY(m_dir.isValid());
    const QString problem = makeTestCertificate(m_dir.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path("cert.pem"));
    QCOMPARE(certificates.size(), 1);
    m_certificate = certificates.constFirst();
}

void TestTls::init()
{
    m_server = std::make_unique<Server::ChatServer>();
}

void TestTls::cleanup()
{
    m_server.reset();
}

Server::ServerConfig TestTls::tlsConfig() const
{
    Server::ServerConfig config;
    config.port = 0;
    config.tlsCertificatePath = path("cert.pem");
    config.tlsKeyPath = path("key.pem");
    return config;
}

void TestTls::clientsChatOverTls()
{
    QVERIFY2(m_server->start(tlsConfig()), qPrintable(m_server->startError()));
    TlsClient alice, bob;
    QVERIFY(alice.connectTo(m_server->serverPort(), m_certificate));
    QVERIFY(bob.connectTo(m_server->serverPort(), m_certificate));
    QCOMPARE(alice.socket().peerCertificate(), m_certificate);
    for (auto [client, nick] : {std::pair {&alice, "alice"}, std::pair {&bob, "bob"}}) {
        client->send(QByteArray("NICK ") + nick);
        client->send(QByteArray("USER ") + nick + " 0 * :" + nick);
        QVERIFY(client->expect(Numeric::Welcome));
        client->send("JOIN #secret");
        QVERIFY(client->expect(Numeric::EndOfNames));
    }
    alice.send("PRIVMSG #secret :only over TLS 你好");
    const std::optional<Irc::IrcMessage> message = bob.expect("PRIVMSG");
    QVERIFY(message);
    QCOMPARE(message->param(1), QStringLiteral("only over TLS 你好").toUtf8());
}

void TestTls::plainTextClientGetsNothingAndIsClosed()
{
    QVERIFY(m_server->start(tlsConfig()));
    RawClient plain;
    QVERIFY(plain.connectTo(m_server->serverPort()));
    plain.send("NICK plain");
    plain.send("USER plain 0 * :plain");
    // The server reads the lines as a broken handshake and hangs up; no IRC line comes back.
    QVERIFY(plain.waitForDisconnected());
    QVERIFY(plain.pending().isEmpty());
    TlsClient afterwards; // and serves TLS clients as before
    QVERIFY(afterwards.connectTo(m_server->serverPort(), m_certificate));
}

void TestTls::silentConnectionIsClosedByTheRegistrationTimeout()
{
    Server::ServerConfig config = tlsConfig();
    config.limits.registrationTimeoutMs = 300;
    QVERIFY(m_server->start(config));
    RawClient silent; // never starts the handshake
    QVERIFY(silent.connectTo(m_server->serverPort()));
    QVERIFY(silent.waitForDisconnected());
    QTRY_COMPARE(m_server->clientCount(), 0);
}

void TestTls::nonReadingTlsClientHitsTheSendQueue()
{
    Server::ServerConfig config = tlsConfig();
    config.limits.sendQueueBytes = 64 * 1024;
    config.limits.closeGraceMs = 200; // it does not read its ERROR either
    config.limits.noLimits = true;
    QVERIFY(m_server->start(config));
    TlsClient stalled, talker;
    QVERIFY(stalled.connectTo(m_server->serverPort(), m_certificate));
    QVERIFY(talker.connectTo(m_server->serverPort(), m_certificate));
    stalled.send("NICK stalled");
    stalled.send("USER s 0 * :s");
    QVERIFY(stalled.expect(Numeric::Welcome));
    talker.send("NICK talker");
    talker.send("USER t 0 * :t");
    QVERIFY(talker.expect(Numeric::Welcome));
    // The stalled client stops reading: Qt keeps at most 4 KiB for it, the kernel the rest.
    stalled.socket().setReadBufferSize(4096);
    disconnect(&stalled.socket(), &QSslSocket::readyRead, nullptr, nullptr);
    const QByteArray text(400, 'x');
    // Encrypted bytes are what piles up in the server: they must count against the queue.
    for (int i = 0; i < 20'000 && stalled.socket().state() == QAbstractSocket::ConnectedState;
         ++i) {
        talker.send("PRIVMSG stalled :" + text);
        if (i % 100 == 99) { // a fence, so that the server has read what was sent
            talker.send("PING :" + QByteArray::number(i));
            QVERIFY(talker.expect("PONG"));
        }
        if (m_server->clientCount() < 2)
            break;
    }
    QTRY_COMPARE(m_server->clientCount(), 1);
    talker.send("PRIVMSG stalled :gone?");
    QCOMPARE(talker.expect(Numeric::NoSuchNick)->param(1), QByteArray("stalled"));
}

void TestTls::badCertificateOrKeyIsAClearStartError_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected"); // part of the error
    QTest::newRow("no key") << path("cert.pem") << QString() << "both a certificate";
    QTest::newRow("missing certificate") << path("absent.pem") << path("key.pem") << "absent.pem";
    QTest::newRow("missing key") << path("cert.pem") << path("absent.pem") << "absent.pem";
    QTest::newRow("key as certificate")
        << path("key.pem") << path("key.pem") << "no PEM certificate";
    QTest::newRow("certificate as key") << path("cert.pem") << path("cert.pem") << "private key";
}

void TestTls::badCertificateOrKeyIsAClearStartError()
{
    QFETCH(QString, certificate);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    Server::ServerConfig config = tlsConfig();
    config.tlsCertificatePath = certificate;
    config.tlsKeyPath = key;
    QVERIFY(!m_server->start(config));
    QVERIFY2(m_server->startError().contains(expected), qPrintable(m_server->startError()));
    QVERIFY(!m_server->isRunning());
    QCOMPARE(m_server->threadCount(), 0);
}

void TestTls::chatClientTrustsOnlyThePinnedCertificate()
{
    QVERIFY2(m_server->start(tlsConfig()), qPrintable(m_server->startError()));
    Client::ClientSettings settings;
    settings.port = m_server->serverPort();
    settings.nick = QStringLiteral("pinned");
    settings.channels = {QStringLiteral("#secure")};
    settings.tls = true;
    settings.autoReconnect = false;

    Client::ChatClient stranger; // self-signed and not pinned: the handshake must fail
    QSignalSpy refused(&stranger, &Client::ChatClient::errorOccurred);
    stranger.connectToServer(settings);
    QVERIFY(refused.wait());
    QVERIFY(!stranger.isRegistered());

    settings.pinnedCertificates = {m_certificate};
    Client::ChatClient client;
    client.connectToServer(settings);
    QTRY_VERIFY_WITH_TIMEOUT(client.isJoined(QStringLiteral("#secure")), 10000);
    QCOMPARE(client.nick(), QStringLiteral("pinned"));
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
