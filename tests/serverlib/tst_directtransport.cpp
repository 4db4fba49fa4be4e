// The plain-TCP path of the server below the session: IoLoop's epoll set and flush batches, and
// DirectTransport on real loopback connections. The test's peer is a raw socket, so that the test
// alone decides when the peer reads, stops reading, closes or resets.
#include "serverlib/directtransport.h"
#include "serverlib/ioloop.h"
#include "serverlib/transport.h"

#include <QSocketNotifier>
#include <QTest>
#include <QtEndian>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

// Well above what the kernel buffers for a loopback peer that does not read (tcp_wmem's maximum
// is 4 MiB, the peer's receive buffer does not grow while it does not read).
constexpr int BulkBytes = 8 * 1024 * 1024;

socklen_t toSockaddr(const QHostAddress &address, quint16 port, sockaddr_storage &storage)
{
    storage = {};
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = qToBigEndian(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, bytes.c, sizeof bytes.c);
        return sizeof *in6;
    }
    auto *in4 = reinterpret_cast<sockaddr_in *>(&storage);
    in4->sin_family = AF_INET;
    in4->sin_port = qToBigEndian(port);
    in4->sin_addr.s_addr = qToBigEndian(address.toIPv4Address());
    return sizeof *in4;
}

quint16 localPortOf(int descriptor)
{
    sockaddr_storage storage {};
    socklen_t length = sizeof storage;
    if (::getsockname(descriptor, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return 0;
    if (storage.ss_family == AF_INET6)
        return qFromBigEndian(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
    return qFromBigEndian(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
}

// A blocking listener: the peer's connect() has completed the handshake by the time accept()
// is called, so accept() never waits.
class Listener
{
public:
    Listener() = default;
    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;
    ~Listener()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    bool listen(const QHostAddress &address)
    {
        sockaddr_storage storage;
        const socklen_t length = toSockaddr(address, 0, storage);
        m_fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&storage), length) != 0
            || ::listen(m_fd, 16) != 0)
            return false;
        m_address = address;
        m_port = localPortOf(m_fd);
        return m_port != 0;
    }
    qintptr accept() { return ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC); }
    const QHostAddress &address() const { return m_address; }
    quint16 port() const { return m_port; }

private:
    int m_fd = -1;
    QHostAddress m_address;
    quint16 m_port = 0;
};

// The client end. It does not read until told to, so that the test can stall it.
class Peer
{
public:
    Peer() = default;
    Peer(const Peer &) = delete;
    Peer &operator=(const Peer &) = delete;
    ~Peer() { close(); }

    bool connectTo(const QHostAddress &address, quint16 port)
    {
        sockaddr_storage storage;
        const socklen_t length = toSockaddr(address, port, storage);
        m_fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<sockaddr *>(&storage), length) != 0)
            return false;
        const int flags = ::fcntl(m_fd, F_GETFL);
        if (flags < 0 || ::fcntl(m_fd, F_SETFL, flags | O_NONBLOCK) != 0)
            return false;
        m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
        m_notifier->setEnabled(false);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, [this] { receive(); });
        return true;
    }

    void setReading(bool reading)
    {
        if (m_notifier && !ended())
            m_notifier->setEnabled(reading);
    }

    bool send(QByteArrayView bytes)
    {
        while (!bytes.isEmpty()) {
            const ssize_t sent = ::send(m_fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL);
            if (sent < 0 && errno == EINTR)
                continue;
            if (sent <= 0)
                return false; // the test sends far less than a socket buffer: never EAGAIN
            bytes = bytes.sliced(sent);
        }
        return true;
    }

    void shutdownWrite() { ::shutdown(m_fd, SHUT_WR); }

    void close()
    {
        m_notifier.reset();
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

    // Closing with a zero linger time sends RST instead of FIN.
    void reset()
    {
        const linger abortive {1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
        close();
    }

    quint16 localPort() const { return localPortOf(m_fd); }
    bool ended() const { return eof || error != 0; }

    QByteArray received;
    bool eof = false;
    int error = 0;

private:
    void receive()
    {
        char buffer[64 * 1024];
        for (;;) {
            const ssize_t count = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (count > 0) {
                received.append(buffer, count);
                continue;
            }
            if (count < 0 && errno == EINTR)
                continue;
            if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            if (count == 0)
                eof = true;
            else
                error = errno;
            m_notifier->setEnabled(false);
            return;
        }
    }

    int m_fd = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

// Reads everything on each report, as Session does: a level-triggered epoll set would report a
// transport whose input is left waiting again and again.
class Recorder final : public Server::TransportEvents
{
public:
    void transportReadable() override
    {
        ++readableCalls;
        for (QByteArrayView chunk = transport->read(); !chunk.isEmpty(); chunk = transport->read())
            received += chunk;
    }
    void transportClosed(const QString &error) override
    {
        ++closedCalls;
        closedError = error;
        receivedAtClose = received.size();
    }

    Server::Transport *transport = nullptr;
    QByteArray received;
    int readableCalls = 0;
    int closedCalls = 0;
    QString closedError;
    qsizetype receivedAtClose = -1;
};

// One connection: the server's transport and the test's peer.
struct Link
{
    explicit Link(Server::IoLoop &loop) : transport(loop, events) { events.transport = &transport; }

    bool open(Listener &listener)
    {
        if (!peer.connectTo(listener.address(), listener.port()))
            return false;
        descriptor = listener.accept();
        if (descriptor < 0)
            return false;
        if (!transport.open(descriptor)) {
            ::close(int(descriptor));
            return false;
        }
        return true;
    }

    Recorder events;
    Server::DirectTransport transport;
    Peer peer;
    qintptr descriptor = -1;
};

// A descriptor the test makes ready at will.
class EventHandler final : public Server::IoHandler
{
public:
    EventHandler() : fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) { }
    EventHandler(const EventHandler &) = delete;
    EventHandler &operator=(const EventHandler &) = delete;
    ~EventHandler()
    {
        if (fd >= 0)
            ::close(fd);
    }

    bool signal() const
    {
        const quint64 one = 1;
        return ::write(fd, &one, sizeof one) == sizeof one;
    }

    void handleIo(quint32 epollEvents) override
    {
        ++ioCalls;
        lastEvents = epollEvents;
        quint64 value = 0;
        // Consumed at once: the epoll set is level-triggered.
        if (::read(fd, &value, sizeof value) != sizeof value)
            ++emptyReads;
        if (onIo)
            onIo();
    }
    void flushOutput() override
    {
        ++flushes;
        if (onFlush)
            onFlush();
    }

    int fd;
    int ioCalls = 0;
    int emptyReads = 0;
    quint32 lastEvents = 0;
    int flushes = 0;
    std::function<void()> onIo;
    std::function<void()> onFlush;
};

// Pieces cut from one pseudo-random byte stream: a lost, doubled or reordered piece shows in a
// byte comparison even among pieces of the same size.
QList<QByteArray> randomPieces(int count, int minBytes, int maxBytes)
{
    QList<QByteArray> pieces;
    pieces.reserve(count);
    quint32 state = 0x2545f491;
    for (int i = 0; i < count; ++i) {
        const int size = minBytes + int(quint32(i) * 7919u % quint32(maxBytes - minBytes + 1));
        QByteArray piece(size, Qt::Uninitialized);
        for (char &c : piece) {
            state = state * 1664525u + 1013904223u;
            c = char('!' + (state >> 24) % 94);
        }
        pieces.append(piece);
    }
    return pieces;
}

QList<QByteArray> numberedLines(int count)
{
    QList<QByteArray> lines;
    lines.reserve(count);
    for (int i = 0; i < count; ++i)
        lines.append(":srv PRIVMSG #test :line " + QByteArray::number(i) + "\r\n");
    return lines;
}

QByteArray joined(const QList<QByteArray> &pieces)
{
    QByteArray all;
    for (const QByteArray &piece : pieces)
        all += piece;
    return all;
}

// QCOMPARE on megabytes prints two truncated dumps: say where the streams part instead.
QByteArray difference(const QByteArray &actual, const QByteArray &expected)
{
    const qsizetype common = std::min(actual.size(), expected.size());
    qsizetype at = 0;
    while (at < common && actual.at(at) == expected.at(at))
        ++at;
    return "received " + QByteArray::number(actual.size()) + " bytes, expected "
        + QByteArray::number(expected.size()) + ", first difference at byte "
        + QByteArray::number(at);
}

#define COMPARE_STREAM(actual, expected)                                                           \
    QVERIFY2((actual) == (expected), difference((actual), (expected)).constData())

// Queues pieces in one batch, as a fan-out does.
void writeInBatch(Server::IoLoop &loop, Server::Transport &transport,
                  const QList<QByteArray> &pieces)
{
    Server::IoLoop::Batch batch(loop);
    for (const QByteArray &piece : pieces)
        transport.write(piece);
}

} // namespace

class TestDirectTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void loopReportsReadinessOfWatchedDescriptors();
    void loopServesMoreReadyHandlersThanOneDispatchTakes();
    void batchesFlushAtTheOutermostEnd();
    void flushOutsideBatchComesWithTheNextRound();
    void withdrawnHandlerIsNotFlushed();
    void withdrawingDuringAFlushSkipsNoOtherHandler();
    void flushRequestedDuringFlushIsServedInTheSamePass();
    void outputQueuedWhileServingInputIsFlushedAfterTheDispatch();

    void linesArriveInOrder_data();
    void linesArriveInOrder();
    void sharedLineReachesEveryRecipient();
    void backPressureHoldsOutputUntilThePeerReads_data();
    void backPressureHoldsOutputUntilThePeerReads();
    void closeWritesEverythingThenEnds_data();
    void closeWritesEverythingThenEnds();
    void peerCloseIsReportedAfterItsInput_data();
    void peerCloseIsReportedAfterItsInput();
    void peerResetIsReported_data();
    void peerResetIsReported();
    void pausedInputStaysWithTheKernel_data();
    void pausedInputStaysWithTheKernel();
    void abortDropsQueuedOutput_data();
    void abortDropsQueuedOutput();
    void peerNameOfGivesTheClientsAddress_data();
    void peerNameOfGivesTheClientsAddress();
    void peerNameOfNonSocketIsEmpty();

private:
    Listener m_listener;
    QList<QByteArray> m_bulk;
    QByteArray m_bulkJoined;
};

void TestDirectTransport::initTestCase()
{
    QVERIFY(m_listener.listen(QHostAddress::LocalHost));
    m_bulk = randomPieces(8192, 1, 2047);
    m_bulkJoined = joined(m_bulk);
    QVERIFY(m_bulkJoined.size() >= BulkBytes - 8192);
}

void TestDirectTransport::loopReportsReadinessOfWatchedDescriptors()
{
    Server::IoLoop loop;
    QVERIFY(loop.isValid());
    EventHandler watched, control;
    QVERIFY(loop.watch(watched.fd, &watched, EPOLLIN));
    QVERIFY(!loop.watch(watched.fd, &watched, EPOLLIN)); // already in the set
    QVERIFY(!loop.watch(-1, &watched, EPOLLIN));
    QVERIFY(loop.watch(control.fd, &control, EPOLLIN));

    QVERIFY(watched.signal());
    QTRY_COMPARE(watched.ioCalls, 1);
    QCOMPARE(watched.lastEvents, quint32(EPOLLIN));
    QCOMPARE(watched.emptyReads, 0);
    QCOMPARE(control.ioCalls, 0);

    // The control descriptor proves the loop looked after `watched` became ready again.
    loop.rewatch(watched.fd, &watched, 0);
    QVERIFY(watched.signal());
    QVERIFY(control.signal());
    QTRY_COMPARE(control.ioCalls, 1);
    QCOMPARE(watched.ioCalls, 1);

    loop.rewatch(watched.fd, &watched, EPOLLIN);
    QTRY_COMPARE(watched.ioCalls, 2); // the readiness that came while disarmed

    loop.unwatch(watched.fd);
    QVERIFY(watched.signal());
    QVERIFY(control.signal());
    QTRY_COMPARE(control.ioCalls, 2);
    QCOMPARE(watched.ioCalls, 2);
}

void TestDirectTransport::loopServesMoreReadyHandlersThanOneDispatchTakes()
{
    // One dispatch takes at most 256 events; the rest must come with the next rounds.
    constexpr int Count = 600;
    Server::IoLoop loop;
    std::vector<std::unique_ptr<EventHandler>> handlers;
    for (int i = 0; i < Count; ++i) {
        handlers.push_back(std::make_unique<EventHandler>());
        QVERIFY(loop.watch(handlers.back()->fd, handlers.back().get(), EPOLLIN));
        QVERIFY(handlers.back()->signal());
    }
    const auto served = [&handlers] {
        return std::count_if(handlers.begin(), handlers.end(),
                             [](const auto &handler) { return handler->ioCalls > 0; });
    };
    QTRY_COMPARE(served(), Count);
    for (const auto &handler : handlers) {
        QCOMPARE(handler->ioCalls, 1);
        QCOMPARE(handler->emptyReads, 0);
    }
}

void TestDirectTransport::batchesFlushAtTheOutermostEnd()
{
    Server::IoLoop loop;
    EventHandler a, b;
    {
        Server::IoLoop::Batch outer(loop);
        {
            Server::IoLoop::Batch inner(loop);
            loop.requestFlush(&a);
        }
        QCOMPARE(a.flushes, 0);
        loop.requestFlush(&b);
        QCOMPARE(b.flushes, 0);
    }
    QCOMPARE(a.flushes, 1);
    QCOMPARE(b.flushes, 1);

    // The next batch flushes only those that asked again.
    loop.requestFlush(&b);
    {
        Server::IoLoop::Batch batch(loop);
    }
    QCOMPARE(a.flushes, 1);
    QCOMPARE(b.flushes, 2);
}

void TestDirectTransport::flushOutsideBatchComesWithTheNextRound()
{
    Server::IoLoop loop;
    EventHandler a, b;
    loop.requestFlush(&a);
    loop.requestFlush(&b);
    QCOMPARE(a.flushes, 0);
    QCOMPARE(b.flushes, 0);
    QTRY_COMPARE(a.flushes, 1);
    QCOMPARE(b.flushes, 1);

    // A batch that ends before the posted flush runs takes its work: nothing is flushed twice.
    loop.requestFlush(&a);
    {
        Server::IoLoop::Batch batch(loop);
    }
    QCOMPARE(a.flushes, 2);
    bool markerRan = false;
    QMetaObject::invokeMethod(
        &loop, [&markerRan] { markerRan = true; }, Qt::QueuedConnection);
    QTRY_VERIFY(markerRan);
    QCOMPARE(a.flushes, 2);
    QCOMPARE(b.flushes, 1);

    // And the round after that posts its own flush again.
    loop.requestFlush(&b);
    QTRY_COMPARE(b.flushes, 2);
    QCOMPARE(a.flushes, 2);
}

void TestDirectTransport::withdrawnHandlerIsNotFlushed()
{
    Server::IoLoop loop;
    EventHandler a, b, c;
    {
        Server::IoLoop::Batch batch(loop);
        loop.requestFlush(&a);
        loop.requestFlush(&b);
        loop.requestFlush(&c);
        loop.withdrawFlush(&b);
    }
    QCOMPARE(a.flushes, 1);
    QCOMPARE(b.flushes, 0);
    QCOMPARE(c.flushes, 1);
}

// As when a transport is destroyed from inside another's flush: the pass walks on over the gap.
void TestDirectTransport::withdrawingDuringAFlushSkipsNoOtherHandler()
{
    Server::IoLoop loop;
    EventHandler a, b, c, d;
    b.onFlush = [&] {
        loop.withdrawFlush(&a); // already flushed
        loop.withdrawFlush(&c); // not yet: must not be flushed now
    };
    {
        Server::IoLoop::Batch batch(loop);
        for (EventHandler *handler : {&a, &b, &c, &d})
            loop.requestFlush(handler);
    }
    QCOMPARE(a.flushes, 1);
    QCOMPARE(b.flushes, 1);
    QCOMPARE(c.flushes, 0);
    QCOMPARE(d.flushes, 1);
}

void TestDirectTransport::flushRequestedDuringFlushIsServedInTheSamePass()
{
    // As when a flush finds a connection gone, and its departure queues output for others.
    Server::IoLoop loop;
    EventHandler a, b, c;
    a.onFlush = [&] {
        loop.requestFlush(&b);
    };
    b.onFlush = [&] {
        loop.requestFlush(&c);
    };
    {
        Server::IoLoop::Batch batch(loop);
        loop.requestFlush(&a);
    }
    QCOMPARE(a.flushes, 1);
    QCOMPARE(b.flushes, 1);
    QCOMPARE(c.flushes, 1);

    // Same without a batch: the posted flush must not leave the late request for a round that
    // nobody posted.
    a.onFlush = [&] {
        loop.requestFlush(&b);
    };
    b.onFlush = nullptr;
    loop.requestFlush(&a);
    QTRY_COMPARE(a.flushes, 2);
    QCOMPARE(b.flushes, 2);
}

void TestDirectTransport::outputQueuedWhileServingInputIsFlushedAfterTheDispatch()
{
    // Serving ready sockets is a batch: output queued meanwhile goes out when the dispatch ends,
    // before anything posted during it runs.
    Server::IoLoop loop;
    EventHandler handler;
    QVERIFY(loop.watch(handler.fd, &handler, EPOLLIN));
    int flushesSeenByMarker = -1;
    handler.onIo = [&] {
        // Posted first: a flush posted by requestFlush() would run after it.
        QMetaObject::invokeMethod(
            &loop, [&] { flushesSeenByMarker = handler.flushes; }, Qt::QueuedConnection);
        loop.requestFlush(&handler);
    };
    QVERIFY(handler.signal());
    QTRY_VERIFY(flushesSeenByMarker >= 0);
    QCOMPARE(flushesSeenByMarker, 1);
    QCOMPARE(handler.flushes, 1);
}

namespace {
enum WriteMode { PostedFlush, InBatch, ExplicitFlush };
}

void TestDirectTransport::linesArriveInOrder_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("mode");
    QTest::newRow("one line, no batch") << 1 << int(PostedFlush);
    QTest::newRow("1000 lines, one batch") << 1000 << int(InBatch);
    QTest::newRow("1000 lines, no batch") << 1000 << int(PostedFlush);
    QTest::newRow("1000 lines, flush()") << 1000 << int(ExplicitFlush);
}

void TestDirectTransport::linesArriveInOrder()
{
    QFETCH(int, count);
    QFETCH(int, mode);
    Server::IoLoop loop;
    Link link(loop);
    QVERIFY(link.open(m_listener));
    link.peer.setReading(true);
    const QList<QByteArray> lines = numberedLines(count);
    const QByteArray expected = joined(lines);
    {
        std::optional<Server::IoLoop::Batch> batch;
        if (mode == InBatch)
            batch.emplace(loop);
        for (const QByteArray &line : lines)
            link.transport.write(line);
        // Nothing is written line by line: a fan-out writes each recipient once per batch.
        QCOMPARE(link.transport.queuedBytes(), qint64(expected.size()));
        if (mode == ExplicitFlush)
            link.transport.flush();
    }
    // The kernel takes at least a first part at once.
    if (mode != PostedFlush)
        QVERIFY(link.transport.queuedBytes() < expected.size());
    QTRY_COMPARE(link.peer.received.size(), expected.size());
    COMPARE_STREAM(link.peer.received, expected);
    QCOMPARE(link.transport.queuedBytes(), 0);
    QCOMPARE(link.events.closedCalls, 0);
    QVERIFY(!link.peer.ended());
}

void TestDirectTransport::sharedLineReachesEveryRecipient()
{
    Server::IoLoop loop;
    Link first(loop), second(loop);
    QVERIFY(first.open(m_listener));
    QVERIFY(second.open(m_listener));
    first.peer.setReading(true);
    second.peer.setReading(true);
    const QByteArray shared = ":alice!a@h PRIVMSG #chan :to everyone\r\n";
    {
        Server::IoLoop::Batch batch(loop);
        first.transport.write(":srv NOTICE first :before\r\n");
        first.transport.write(shared);
        second.transport.write(shared);
        first.transport.write(":srv NOTICE first :after\r\n");
        second.transport.write(shared);
        // Queued by reference: three queue entries, one buffer.
        QVERIFY(!shared.isDetached());
    }
    const QByteArray firstExpected
        = ":srv NOTICE first :before\r\n" + shared + ":srv NOTICE first :after\r\n";
    const QByteArray secondExpected = shared + shared;
    QTRY_COMPARE(first.peer.received.size(), firstExpected.size());
    QTRY_COMPARE(second.peer.received.size(), secondExpected.size());
    QCOMPARE(first.peer.received, firstExpected);
    QCOMPARE(second.peer.received, secondExpected);
    QVERIFY(shared.isDetached()); // the queues let go of it once written
}

void TestDirectTransport::backPressureHoldsOutputUntilThePeerReads_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("minBytes");
    QTest::addColumn<int>("maxBytes");
    // Pieces of odd sizes make the kernel cut them anywhere, so that a partly written head of
    // the queue is resumed at every offset.
    QTest::newRow("short lines") << 80000 << 50 << 150;
    QTest::newRow("mixed sizes") << 8192 << 1 << 2047;
    QTest::newRow("64 KiB blocks") << 128 << 65536 << 65536;
}

void TestDirectTransport::backPressureHoldsOutputUntilThePeerReads()
{
    QFETCH(int, count);
    QFETCH(int, minBytes);
    QFETCH(int, maxBytes);
    Server::IoLoop loop;
    Link link(loop);
    QVERIFY(link.open(m_listener));
    const QList<QByteArray> pieces = randomPieces(count, minBytes, maxBytes);
    const QByteArray tail = "written while the kernel refuses bytes\r\n";
    const QByteArray expected = joined(pieces) + tail;

    writeInBatch(loop, link.transport, pieces);
    const qint64 queued = link.transport.queuedBytes();
    QVERIFY2(queued > 0, "the kernel took everything: raise the amount written");
    QVERIFY(queued < expected.size());
    // The loop keeps running while the peer does not read: nothing may be lost or doubled.
    for (int i = 0; i < 10; ++i)
        QCoreApplication::processEvents();
    QVERIFY(link.transport.queuedBytes() > 0);
    // Queued while the transport waits for the kernel: it must go out with the rest.
    link.transport.write(tail);
    QVERIFY(link.transport.queuedBytes() > qint64(tail.size()));

    link.peer.setReading(true);
    QTRY_COMPARE_WITH_TIMEOUT(link.peer.received.size(), expected.size(), 10000);
    COMPARE_STREAM(link.peer.received, expected);
    QCOMPARE(link.transport.queuedBytes(), 0);
    QCOMPARE(link.events.closedCalls, 0);

    // Writable again without waiting for the kernel: the next line goes out as usual.
    link.transport.write(tail);
    QTRY_COMPARE(link.peer.received.size(), expected.size() + tail.size());
    QVERIFY(link.peer.received.endsWith(QByteArray(tail + tail)));
}

void TestDirectTransport::closeWritesEverythingThenEnds_data()
{
    QTest::addColumn<bool>("bulk");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("nothing queued") << false << QByteArray();
    QTest::newRow("one line") << false << QByteArray("ERROR :Closing link\r\n");
    QTest::newRow("more than the kernel takes") << true << QByteArray("ERROR :Closing link\r\n");
}

void TestDirectTransport::closeWritesEverythingThenEnds()
{
    QFETCH(bool, bulk);
    QFETCH(QByteArray, line);
    Server::IoLoop loop;
    Link link(loop);
    QVERIFY(link.open(m_listener));
    QByteArray expected;
    if (bulk) {
        writeInBatch(loop, link.transport, m_bulk);
        expected = m_bulkJoined;
        QVERIFY(link.transport.queuedBytes() > 0);
    }
    link.transport.write(line); // outside a batch: a flush is still pending when close() comes
    expected += line;

    link.transport.close();
    if (bulk) // the kernel holds no room for the rest until the peer reads
        QCOMPARE(link.events.closedCalls, 0);
    link.peer.setReading(true);
    QTRY_VERIFY_WITH_TIMEOUT(link.peer.ended(), 10000);
    QCOMPARE(link.peer.error, 0); // FIN, not RST: the kernel kept the last line
    QVERIFY(link.peer.eof);
    COMPARE_STREAM(link.peer.received, expected);
    QTRY_COMPARE(link.events.closedCalls, 1);
    QVERIFY2(link.events.closedError.isEmpty(), qPrintable(link.events.closedError));
    QCOMPARE(link.transport.queuedBytes(), 0);

    // Closed for good: later writes and rounds of the loop change nothing.
    link.transport.write("late\r\n");
    QCOMPARE(link.transport.queuedBytes(), 0);
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents();
    QCOMPARE(link.events.closedCalls, 1);
}

void TestDirectTransport::peerCloseIsReportedAfterItsInput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("halfClose");
    QTest::newRow("lines, then close") << QByteArray("NICK a\r\nQUIT :bye\r\n") << false;
    QTest::newRow("lines, then shutdown of its writing side")
        << QByteArray("NICK a\r\nQUIT :bye\r\n") << true;
    QTest::newRow("nothing, then close") << QByteArray() << false;
    // More than the loop's 16 KiB read buffer: several read() calls per report.
    QTest::newRow("100 KB, then close") << joined(randomPieces(100, 1000, 1000)) << false;
}

void TestDirectTransport::peerCloseIsReportedAfterItsInput()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, halfClose);
    Server::IoLoop loop;
    Link link(loop);
    QVERIFY(link.open(m_listener));
    QVERIFY(link.peer.send(input));
    if (halfClose)
        link.peer.shutdownWrite();
    else
        link.peer.close();

    QTRY_COMPARE(link.events.closedCalls, 1);
    QVERIFY(link.events.readableCalls >= 1);
    COMPARE_STREAM(link.events.received, input);
    QCOMPARE(link.events.receivedAtClose, input.size()); // all input before the close
    QVERIFY(!link.events.closedError.isEmpty());
    QVERIFY(link.transport.read().isEmpty());
    QCOMPARE(link.transport.unreadBytes(), 0);
    if (halfClose) { // the peer still reads: it sees our side close in turn
        link.peer.setReading(true);
        QTRY_VERIFY(link.peer.ended());
        QVERIFY(link.peer.received.isEmpty());
    }
}

void TestDirectTransport::peerResetIsReported_data()
{
    QTest::addColumn<bool>("outputQueued");
    QTest::addColumn<bool>("readPaused");
    QTest::addColumn<bool>("closing");
    QTest::newRow("idle, reading") << false << false << false;
    QTest::newRow("idle, read paused") << false << true << false;
    QTest::newRow("output queued, reading") << true << false << false;
    QTest::newRow("output queued, read paused") << true << true << false;
    QTest::newRow("closing with output queued") << true << false << true;
}

void TestDirectTransport::peerResetIsReported()
{
    QFETCH(bool, outputQueued);
    QFETCH(bool, readPaused);
    QFETCH(bool, closing);
    Server::IoLoop loop;
    Link link(loop);
    QVERIFY(link.open(m_listener));
    if (outputQueued) {
        writeInBatch(loop, link.transport, m_bulk);
        QVERIFY(link.transport.queuedBytes() > 0);
    }
    if (readPaused)
        link.transport.setReadPaused(true);
    if (closing) {
        link.transport.close();
        QCOMPARE(link.events.closedCalls, 0);
    }

    link.peer.reset();
    QTRY_COMPARE(link.events.closedCalls, 1);
    QVERIFY(!link.events.closedError.isEmpty());
    QCOMPARE(link.transport.queuedBytes(), 0);
    QVERIFY(link.transport.read().isEmpty());
    link.transport.write("late\r\n");
    link.transport.flush();
    QCOMPARE(link.transport.queuedBytes(), 0);

    // The loop goes on serving others, and reports the dead connection only once.
    Link other(loop);
    QVERIFY(other.open(m_listener));
    other.peer.setReading(true);
    other.transport.write("still here\r\n");
    QTRY_COMPARE(other.peer.received, QByteArray("still here\r\n"));
    QCOMPARE(link.events.closedCalls, 1);
}

void TestDirectTransport::pausedInputStaysWithTheKernel_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("during");
    QTest::addColumn<bool>("writing");
    QTest::newRow("paused before any input")
        << QByteArray() << QByteArray("held back\r\n") << false;
    QTest::newRow("paused after some input")
        << QByteArray("first\r\n") << QByteArray("second\r\n") << false;
    QTest::newRow("paused, 100 KB held back")
        << QByteArray("first\r\n") << joined(randomPieces(100, 1000, 1000)) << false;
    // The socket is watched for output meanwhile: its events must not report the input.
    QTest::newRow("paused while output waits for the kernel")
        << QByteArray("first\r\n") << QByteArray("second\r\n") << true;
}

void TestDirectTransport::pausedInputStaysWithTheKernel()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, during);
    QFETCH(bool, writing);
    Server::IoLoop loop;
    Link link(loop), control(loop);
    QVERIFY(link.open(m_listener));
    QVERIFY(control.open(m_listener));
    if (!before.isEmpty()) {
        QVERIFY(link.peer.send(before));
        QTRY_COMPARE(link.events.received, before);
    }

    link.transport.setReadPaused(true);
    const int readableCalls = link.events.readableCalls;
    QVERIFY(link.peer.send(during));
    QTRY_COMPARE(link.transport.unreadBytes(), qint64(during.size()));
    if (writing) {
        writeInBatch(loop, link.transport, m_bulk);
        QVERIFY(link.transport.queuedBytes() > 0);
        link.peer.setReading(true);
        QTRY_COMPARE_WITH_TIMEOUT(link.peer.received.size(), m_bulkJoined.size(), 10000);
        COMPARE_STREAM(link.peer.received, m_bulkJoined);
    }
    // Input on the control connection proves the loop looked while the paused input waited.
    QVERIFY(control.peer.send("PING x\r\n"));
    QTRY_COMPARE(control.events.received, QByteArray("PING x\r\n"));
    QCOMPARE(link.events.readableCalls, readableCalls);
    QCOMPARE(link.events.received, before);
    QCOMPARE(link.transport.unreadBytes(), qint64(during.size()));

    link.transport.setReadPaused(false);
    QTRY_COMPARE(link.events.received.size(), before.size() + during.size());
    COMPARE_STREAM(link.events.received, before + during);
    QVERIFY(link.events.readableCalls > readableCalls);
    QCOMPARE(link.transport.unreadBytes(), 0);
    QCOMPARE(link.events.closedCalls, 0);
}

void TestDirectTransport::abortDropsQueuedOutput_data()
{
    QTest::addColumn<bool>("bulk");
    QTest::newRow("idle") << false;
    QTest::newRow("output queued") << true;
}

void TestDirectTransport::abortDropsQueuedOutput()
{
    QFETCH(bool, bulk);
    Server::IoLoop loop;
    Link link(loop);
    QVERIFY(link.open(m_listener));
    const QByteArray expected = bulk ? m_bulkJoined : QByteArray();
    if (bulk)
        writeInBatch(loop, link.transport, m_bulk);
    const qint64 queued = link.transport.queuedBytes();
    QCOMPARE(queued > 0, bulk);

    link.transport.abort();
    QTRY_COMPARE(link.events.closedCalls, 1);
    QCOMPARE(link.transport.queuedBytes(), 0);
    link.peer.setReading(true);
    QTRY_VERIFY_WITH_TIMEOUT(link.peer.ended(), 10000);
    // What the kernel had accepted still arrives (nothing unread made it reset): exactly the
    // part still queued in the transport is missing.
    COMPARE_STREAM(link.peer.received, expected.left(expected.size() - queued));
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents();
    QCOMPARE(link.events.closedCalls, 1);
}

void TestDirectTransport::peerNameOfGivesTheClientsAddress_data()
{
    QTest::addColumn<QHostAddress>("address");
    QTest::newRow("IPv4 loopback") << QHostAddress(QHostAddress::LocalHost);
    QTest::newRow("IPv6 loopback") << QHostAddress(QHostAddress::LocalHostIPv6);
}

void TestDirectTransport::peerNameOfGivesTheClientsAddress()
{
    QFETCH(QHostAddress, address);
    Listener listener;
    if (!listener.listen(address))
        QSKIP("cannot listen on this loopback address here");
    Peer peer;
    QVERIFY(peer.connectTo(address, listener.port()));
    const qintptr descriptor = listener.accept();
    QVERIFY(descriptor >= 0);
    const Server::PeerName name = Server::peerNameOf(descriptor);
    ::close(int(descriptor));
    QCOMPARE(name.address, address);
    QVERIFY(peer.localPort() != 0);
    QCOMPARE(name.port, peer.localPort());
    QVERIFY(name.port != listener.port());
}

void TestDirectTransport::peerNameOfNonSocketIsEmpty()
{
    const Server::PeerName closed = Server::peerNameOf(-1);
    QVERIFY(closed.address.isNull());
    QCOMPARE(closed.port, quint16(0));
    EventHandler notASocket;
    const Server::PeerName other = Server::peerNameOf(notASocket.fd);
    QVERIFY(other.address.isNull());
    QCOMPARE(other.port, quint16(0));
}

QTEST_GUILESS_MAIN(TestDirectTransport)
#include "tst_directtransport.moc"
