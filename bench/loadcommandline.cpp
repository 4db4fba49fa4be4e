#include "bench/loadcommandline.h"

#include "protocol/capabilities.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace {

struct OptionSpec
{
    const char *name;
    const char *description;
    const char *valueName; // nullptr: a flag
};

constexpr OptionSpec Specs[] = {
    {"scenario", "fanout (default), latency, connections or churn.", "name"},
    {"host", "Server IPv4 address or name (default 127.0.0.1).", "host"},
    {"port", "Server port (default 6667).", "port"},
    {"servers",
     "Several servers of one network, instead of --host and --port: the clients of each "
     "generator thread take them in turn; deliveries between servers get a latency of their "
     "own.",
     "host:port,..."},
    {"clients", "Clients to connect (churn: resident clients).", "n"},
    {"channels", "Channels to spread the clients over.", "n"},
    {"joins", "Channels each client joins (default 1).", "n"},
    {"senders", "Clients that send; sender s writes to channel s % channels.", "n"},
    {"messages", "Lines per sender.", "n"},
    {"rate", "Lines per second per sender (churn: cycles per second); 0 = unpaced.", "per-s"},
    {"duration", "Seconds to send at --rate (sets --messages) or to churn.", "s"},
    {"window", "Unpaced: lines per sender not yet seen by one receiver; 0 = socket-paced.", "n"},
    {"source-addresses", "Bind clients to 127.0.0.1..127.0.0.N (more than ~28k connections).", "n"},
    {"setup-concurrency", "Clients in connect/register/join at once (default 256).", "n"},
    {"threads", "Epoll threads sharing the clients (default 2; churn uses one).", "n"},
    {"timeout", "Give up, report and exit 3 after this many seconds (default 120).", "s"},
    {"idle-timeout", "Give up when nothing moves for this many seconds (default 10).", "s"},
    {"server-pid",
     "Report the CPU and memory of this process, or the sum over several (reads /proc).",
     "pid,..."},
    {"caps",
     "IRCv3 capabilities every client asks for: none (default), all (every one QtChat offers) "
     "or a comma-separated list.",
     "list"},
    {"json", "Print the report as JSON on stdout.", nullptr},
    {"quiet", "No progress lines on stderr.", nullptr},
};

QString latin1(const char *text)
{
    return QString::fromLatin1(text);
}

} // namespace

LoadCommandLine::LoadCommandLine()
{
    m_parser.setApplicationDescription(QStringLiteral(
        "Load generator for QtChat and other IRC servers.\n"
        "Presets (every option overrides them):\n"
        "  fanout       100 clients in 1 channel, 10 senders x 2000 lines, window 100\n"
        "  latency      200 clients in 1 channel, 20 senders x 20 lines/s for 10 s\n"
        "  connections  2000 clients over 100 channels, then 100 senders x 10 lines\n"
        "  churn        20 resident clients; 50 connect-register-join-quit cycles/s for 10 s\n"
        "Exit status: 0 passed; 1 loss, reordering, duplicates or failed clients; 2 bad usage; "
        "3 timed out."));
    m_parser.addHelpOption();
    addOptions();
}

void LoadCommandLine::addOptions()
{
    for (const OptionSpec &spec : Specs) {
        QCommandLineOption option(latin1(spec.name), latin1(spec.description));
        if (spec.valueName)
            option.setValueName(latin1(spec.valueName));
        m_parser.addOption(option);
    }
}

LoadCommandLine::Result LoadCommandLine::parse(const QStringList &arguments)
{
    if (!m_parser.parse(arguments)) {
        fail(m_parser.errorText());
        return Result::Error;
    }
    if (m_parser.isSet(QStringLiteral("help"))) {
        // Without a QCoreApplication (the generator needs no event loop) Qt cannot name it.
        m_message = m_parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                QStringLiteral("qtchat-load"));
        return Result::Help;
    }
    if (!m_parser.positionalArguments().isEmpty()) {
        fail(QStringLiteral("unexpected argument: ") + m_parser.positionalArguments().constFirst());
        return Result::Error;
    }
    const QString name = m_parser.value(QStringLiteral("scenario"));
    const std::optional<Load::Scenario> scenario
        = name.isEmpty() ? Load::Scenario::Fanout : Load::scenarioFromName(name);
    if (!scenario) {
        fail(QStringLiteral("unknown scenario: ") + name);
        return Result::Error;
    }
    m_options = Load::LoadOptions::preset(*scenario);
    if (!applyOverrides())
        return Result::Error;
    const QString invalid = m_options.validate();
    if (!invalid.isEmpty()) {
        fail(invalid);
        return Result::Error;
    }
    return Result::Ok;
}

bool LoadCommandLine::applyOverrides()
{
    Load::LoadOptions &o = m_options;
    if (m_parser.isSet(QStringLiteral("host")))
        o.host = m_parser.value(QStringLiteral("host")).toUtf8();
    o.json = m_parser.isSet(QStringLiteral("json"));
    o.quiet = m_parser.isSet(QStringLiteral("quiet"));
    if (m_parser.isSet(QStringLiteral("caps")))
        o.capabilities = capabilityList(m_parser.value(QStringLiteral("caps")));
    const bool ok = readCount(QStringLiteral("port"), 1, 65535, &o.port)
        && readCount(QStringLiteral("clients"), 1, INT_MAX, &o.clients)
        && readCount(QStringLiteral("channels"), 1, INT_MAX, &o.channels)
        && readCount(QStringLiteral("joins"), 1, INT_MAX, &o.joinsPerClient)
        && readCount(QStringLiteral("senders"), 0, INT_MAX, &o.senders)
        && readCount(QStringLiteral("messages"), 0, UINT_MAX, &o.messages)
        && readCount(QStringLiteral("window"), 0, UINT_MAX, &o.window)
        && readCount(QStringLiteral("source-addresses"), 1, 254, &o.sourceAddresses)
        && readCount(QStringLiteral("setup-concurrency"), 1, INT_MAX, &o.setupConcurrency)
        && readCount(QStringLiteral("threads"), 1, 64, &o.threads) && readServers()
        && readServerPids() && readNumber(QStringLiteral("rate"), &o.rate)
        && readNumber(QStringLiteral("duration"), &o.durationS)
        && readNumber(QStringLiteral("timeout"), &o.timeoutS)
        && readNumber(QStringLiteral("idle-timeout"), &o.idleTimeoutS);
    // A preset's senders shrink with a smaller --clients; only an explicit --senders is an error.
    if (!m_parser.isSet(QStringLiteral("senders")))
        o.senders = qMin(o.senders, o.clients);
    // A paced traffic run is described by how long it lasts, unless the count is given.
    const bool countGiven = m_parser.isSet(QStringLiteral("messages"));
    if (o.scenario != Load::Scenario::Churn && o.isPaced() && o.durationS > 0 && !countGiven)
        o.messages = quint32(std::ceil(o.rate * o.durationS));
    return ok;
}

template<typename Count>
bool LoadCommandLine::readCount(const QString &name, qint64 minimum, qint64 maximum, Count *out)
{
    if (!m_parser.isSet(name))
        return true;
    bool ok = false;
    const qlonglong value = m_parser.value(name).toLongLong(&ok);
    if (!ok || value < minimum || value > maximum)
        return fail(QStringLiteral("--%1 needs a whole number from %2 to %3")
                        .arg(name)
                        .arg(minimum)
                        .arg(maximum));
    *out = Count(value);
    return true;
}

bool LoadCommandLine::readServers()
{
    return readList(QStringLiteral("servers"), [this](const QString &item) {
        const qsizetype colon = item.lastIndexOf(u':');
        bool ok = false;
        const uint port = colon > 0 ? item.mid(colon + 1).toUInt(&ok) : 0;
        if (!ok || port < 1 || port > 65535)
            return fail(
                QStringLiteral("--servers needs host:port,host:port,...; not '%1'").arg(item));
        m_options.servers.append({item.left(colon).toUtf8(), quint16(port)});
        return true;
    });
}

bool LoadCommandLine::readServerPids()
{
    return readList(QStringLiteral("server-pid"), [this](const QString &item) {
        bool ok = false;
        const qint64 pid = item.toLongLong(&ok);
        if (!ok || pid < 1 || pid > INT_MAX)
            return fail(QStringLiteral("--server-pid needs process ids, separated by commas"));
        m_options.serverPids.append(pid);
        return true;
    });
}

// Hands each comma-separated item of option `name` to `take`, which says whether it was good.
bool LoadCommandLine::readList(const QString &name,
                               const std::function<bool(const QString &)> &take)
{
    if (!m_parser.isSet(name))
        return true;
    const QStringList items = m_parser.value(name).split(u',');
    return std::all_of(items.cbegin(), items.cend(), take);
}

// Seconds or a rate: any finite number; validate() checks the ranges.
bool LoadCommandLine::readNumber(const QString &name, double *out)
{
    if (!m_parser.isSet(name))
        return true;
    bool ok = false;
    const double value = m_parser.value(name).toDouble(&ok);
    if (!ok || !std::isfinite(value))
        return fail(QStringLiteral("--%1 needs a number").arg(name));
    *out = value;
    return true;
}

QByteArray LoadCommandLine::capabilityList(const QString &value)
{
    if (value == QLatin1String("none"))
        return {};
    // draft/chathistory changes no relayed line, and a server without history would refuse the
    // whole request for it.
    if (value == QLatin1String("all"))
        return Irc::capabilityTokens(
                   false, Irc::allCapabilities() & ~Irc::Capabilities(Irc::Capability::ChatHistory))
            .join(' ');
    return value.toUtf8().replace(',', ' ');
}

bool LoadCommandLine::fail(const QString &message)
{
    m_message = message;
    return false;
}
