#include "app/loadpanel.h"

#include "protocol/names.h"
#include "serverlib/serverconfig.h"

#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace App {

namespace {

using Phase = Load::LoadProgress::Phase;

constexpr int DefaultBots = 50;
// Each bot is a descriptor in this process and a client of the server in this process; a
// thousand stay well inside the usual open-file limits of both.
constexpr int MaxBots = 1000;
constexpr int DefaultRate = 5;
constexpr int MaxRate = 1000;
const QString DefaultChannel = QStringLiteral("#load");
// Often enough for numbers that look live, rare enough to cost the GUI nothing.
constexpr int PollIntervalMs = 250;
// Rates are averaged over this much history, so that they do not flicker from poll to poll.
constexpr qint64 RateWindowMs = 1000;
// Connecting, registering and joining a thousand bots takes well under a second; a server that
// does not let them in within this long is not going to.
constexpr double SetupTimeoutS = 30;

QString count(quint64 value)
{
    return QLocale().toString(value);
}

QString milliseconds(qint64 ns)
{
    return QLocale().toString(double(ns) / 1e6, 'f', 1);
}

} // namespace

LoadPanel::LoadPanel(QWidget *parent)
    : QWidget(parent),
      m_botsLabel(new QLabel(this)),
      m_rateLabel(new QLabel(this)),
      m_channelLabel(new QLabel(this)),
      m_bots(new QSpinBox(this)),
      m_rate(new QSpinBox(this)),
      m_channel(new QLineEdit(DefaultChannel, this)),
      m_liftLimits(new QCheckBox(this)),
      m_limitsNote(new QLabel(this)),
      m_startStop(new QPushButton(this)),
      m_restart(new QPushButton(this)),
      m_status(new QLabel(this))
{
    m_bots->setRange(1, MaxBots);
    m_bots->setValue(DefaultBots);
    m_rate->setRange(1, MaxRate);
    m_rate->setValue(DefaultRate);
    buildForm();
    m_pollTimer.setInterval(PollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &LoadPanel::poll);
    connect(m_startStop, &QPushButton::clicked, this, [this] {
        if (isRunning())
            stopLoad();
        else
            startLoad();
    });
    connect(m_restart, &QPushButton::clicked, this, &LoadPanel::restartServerRequested);
    connect(m_liftLimits, &QCheckBox::toggled, this, [this] {
        m_error.clear();
        updateControls();
    });
    const auto edited = [this] {
        m_error.clear();
        showStatus();
    };
    for (QSpinBox *box : {m_bots, m_rate})
        connect(box, &QSpinBox::valueChanged, this, edited);
    connect(m_channel, &QLineEdit::textChanged, this, edited);
    retranslateUi();
}

LoadPanel::~LoadPanel()
{
    m_engine.stop(Load::LoadEngine::StopMode::Now);
}

// The dock shares the window's height with the server panel and the threads view, so the
// form scrolls when squeezed rather than letting its rows overlap.
void LoadPanel::buildForm()
{
    auto *content = m_content = new QWidget;
    auto *parameters = new QGridLayout;
    parameters->addWidget(m_botsLabel, 0, 0);
    parameters->addWidget(m_bots, 0, 1);
    parameters->addWidget(m_rateLabel, 0, 2);
    parameters->addWidget(m_rate, 0, 3);
    parameters->addWidget(m_channelLabel, 1, 0);
    parameters->addWidget(m_channel, 1, 1);
    parameters->addWidget(m_startStop, 1, 2, 1, 2);
    parameters->setColumnStretch(1, 1);
    parameters->setColumnStretch(3, 1);
    auto *limits = new QHBoxLayout;
    limits->addWidget(m_liftLimits, 1);
    limits->addWidget(m_restart);
    m_limitsNote->setWordWrap(true);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // What matters while the bots run comes first, where a short dock still shows it.
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(parameters);
    layout->addLayout(buildStatsGrid(content));
    layout->addWidget(m_status);
    layout->addLayout(limits);
    layout->addWidget(m_limitsNote);
    layout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // As tall as the form, not more: the threads view above it is what grows with the window.
    scroll->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
}

// Two label-value pairs per row: six figures in three lines.
QGridLayout *LoadPanel::buildStatsGrid(QWidget *content)
{
    auto *grid = new QGridLayout;
    const auto addPair = [content, grid](QLabel *&label, QLabel *&value, int row, int pair) {
        label = new QLabel(content);
        value = new QLabel(content);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        grid->addWidget(label, row, 2 * pair);
        grid->addWidget(value, row, 2 * pair + 1);
    };
    addPair(m_connectedLabel, m_connected, 0, 0);
    addPair(m_latencyLabel, m_latency, 0, 1);
    addPair(m_sentLabel, m_sent, 1, 0);
    addPair(m_deliveredLabel, m_delivered, 1, 1);
    addPair(m_inFlightLabel, m_inFlight, 2, 0);
    addPair(m_lossLabel, m_loss, 2, 1);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    return grid;
}

void LoadPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void LoadPanel::retranslateUi()
{
    const Server::ServerLimits limits;
    m_botsLabel->setText(tr("Bots:"));
    m_rateLabel->setText(tr("Messages/s per bot:"));
    m_channelLabel->setText(tr("Channel:"));
    m_bots->setToolTip(tr("How many bot clients connect. Every bot sends, and every bot "
                          "receives what the others send."));
    m_rate->setToolTip(tr("Messages each bot sends per second. The server delivers every "
                          "message to every other bot: bots × (bots − 1) × rate lines per "
                          "second in all."));
    m_channel->setToolTip(tr("The channel the bots join. Keep it apart from the chat pane's "
                             "channel so that the chat stays readable; join it from a client "
                             "window to watch the bots."));
    m_liftLimits->setText(tr("Lift the server's limits for load testing"));
    m_liftLimits->setToolTip(
        tr("Takes effect when the server (re)starts. The server then accepts any number of "
           "clients from one address and has no flood control, for every client, not just the "
           "bots."));
    m_limitsNote->setText(tr("The bots need the server's limits lifted (%1 clients per address, "
                             "flood control at %2 lines/s). That is for everyone: never on a "
                             "server other people can reach.")
                              .arg(limits.maxClientsPerIp)
                              .arg(limits.floodLinesPerSecond));
    m_connectedLabel->setText(tr("Connected:"));
    m_sentLabel->setText(tr("Sent:"));
    m_deliveredLabel->setText(tr("Delivered:"));
    m_inFlightLabel->setText(tr("In flight:"));
    m_lossLabel->setText(tr("Lost:"));
    m_latencyLabel->setText(tr("Latency:"));
    m_latency->setToolTip(tr("From a bot writing a message to another bot reading it, over "
                             "the whole run."));
    m_inFlight->setToolTip(tr("Sent but not yet read by every bot. After Stop, the bots wait "
                              "up to two seconds for these before they leave."));
    m_loss->setToolTip(tr("Overtaken by a later message and not arrived since. Any of these, "
                          "or a message out of order or twice, means the server broke its "
                          "promise of delivery in order."));
    updateControls();
}

void LoadPanel::serverStarted(const QString &host, quint16 port, bool limitsLifted)
{
    m_host = host;
    m_port = port;
    m_serverRunning = true;
    m_serverLimitsLifted = limitsLifted;
    m_error.clear();
    updateControls();
}

void LoadPanel::serverStopping()
{
    m_serverRunning = false;
    if (isRunning()) {
        if (m_ending == Ending::None)
            m_ending = Ending::ServerStopped;
        // Without waiting for lines in flight: the server is going away, and the bots must
        // have left before it stops, or they would see it close on them.
        m_engine.stop(Load::LoadEngine::StopMode::Now);
        finishRun();
        return;
    }
    updateControls();
}

bool LoadPanel::liftsLimits() const
{
    return m_liftLimits->isChecked();
}

bool LoadPanel::startLoad()
{
    if (isRunning())
        return false;
    if (const QString problem = checkStartable(); !problem.isEmpty()) {
        showError(problem);
        return false;
    }
    QString error;
    if (!m_engine.start(options(), &error)) {
        showError(tr("The bots could not start: %1").arg(error));
        return false;
    }
    m_error.clear();
    m_ending = Ending::None;
    m_samples.clear();
    m_sentPerSecond = m_deliveredPerSecond = 0;
    m_clock.start();
    m_progress = m_engine.progress();
    m_pollTimer.start();
    updateControls();
    return true;
}

void LoadPanel::stopLoad()
{
    if (!isRunning() || m_ending != Ending::None)
        return;
    m_ending = Ending::Stopped;
    m_engine.requestStop(Load::LoadEngine::StopMode::Drain);
    updateControls();
}

// The lab's run: every bot sends, paced, into one channel until stopped, then leaves with QUIT.
Load::LoadOptions LoadPanel::options() const
{
    Load::LoadOptions options = Load::LoadOptions::preset(Load::Scenario::Latency);
    options.host = m_host.toUtf8();
    options.port = m_port;
    options.clients = m_bots->value();
    options.senders = m_bots->value();
    options.channels = 1;
    options.joinsPerClient = 1;
    options.rate = m_rate->value();
    options.untilStopped = true;
    options.channelName = m_channel->text().trimmed().toUtf8();
    options.quitAtEnd = true;
    // One epoll thread carries the lab's rates with room to spare, and leaves the other core
    // to the server and the GUI that the user is watching.
    options.threads = 1;
    options.timeoutS = SetupTimeoutS;
    options.quiet = true;
    return options;
}

// Empty when the bots can start; otherwise what the user has to do first.
QString LoadPanel::checkStartable() const
{
    if (!m_serverRunning)
        return tr("Start the server first: the bots connect to it.");
    if (!m_serverLimitsLifted)
        return tr("The server runs with its limits, which would refuse or drop the bots. Tick "
                  "\"Lift the server's limits for load testing\" and restart the server.");
    if (QHostAddress(m_host).protocol() != QAbstractSocket::IPv4Protocol)
        return tr("The bots connect over IPv4 only; let the server listen on an IPv4 address.");
    const QString channel = m_channel->text().trimmed();
    if (!Irc::isValidChannelName(channel.toUtf8()))
        return tr("\"%1\" is not a channel name: it starts with # and has no spaces or commas.")
            .arg(channel);
    return {};
}

void LoadPanel::poll()
{
    m_progress = m_engine.progress();
    updateRates();
    if (m_engine.hasFinished()) {
        finishRun();
        return;
    }
    showProgress();
    Q_EMIT progressUpdated();
}

void LoadPanel::finishRun()
{
    m_engine.join(); // returns at once: the run's thread has ended
    m_pollTimer.stop();
    m_progress = m_engine.progress();
    m_sentPerSecond = m_deliveredPerSecond = 0;
    updateControls();
    Q_EMIT progressUpdated();
    Q_EMIT finished();
}

void LoadPanel::updateRates()
{
    const qint64 nowMs = m_clock.elapsed();
    m_samples.push_back({nowMs, m_progress.messagesSent, m_progress.receivedDeliveries});
    while (m_samples.size() > 2 && m_samples[1].ms <= nowMs - RateWindowMs)
        m_samples.pop_front();
    const Sample &first = m_samples.front();
    const double seconds = double(nowMs - first.ms) / 1000.0;
    if (seconds <= 0)
        return;
    m_sentPerSecond = double(m_progress.messagesSent - first.sent) / seconds;
    m_deliveredPerSecond = double(m_progress.receivedDeliveries - first.received) / seconds;
}

void LoadPanel::updateControls()
{
    const bool active = isRunning();
    const bool stopping = active && m_ending != Ending::None;
    for (QWidget *field : {static_cast<QWidget *>(m_bots), static_cast<QWidget *>(m_rate),
                           static_cast<QWidget *>(m_channel), static_cast<QWidget *>(m_liftLimits)})
        field->setEnabled(!active);
    m_startStop->setText(!active ? tr("Start") : stopping ? tr("Stopping…") : tr("Stop"));
    m_startStop->setEnabled(active ? !stopping : m_serverRunning && m_serverLimitsLifted);
    m_restart->setText(m_liftLimits->isChecked() ? tr("Restart Server Without Limits")
                                                 : tr("Restart Server With Limits"));
    m_restart->setVisible(m_serverRunning && !active
                          && m_liftLimits->isChecked() != m_serverLimitsLifted);
    showProgress();
}

void LoadPanel::showProgress()
{
    const Load::LoadProgress &p = m_progress;
    QString connected = tr("%1 of %2").arg(p.connected).arg(p.clients);
    if (p.failed > 0)
        connected = tr("%1 (%2 failed)").arg(connected).arg(p.failed);
    m_connected->setText(connected);
    m_sent->setText(tr("%1 (%2/s)").arg(count(p.messagesSent), count(quint64(m_sentPerSecond))));
    m_delivered->setText(
        tr("%1 (%2/s)").arg(count(p.receivedDeliveries), count(quint64(m_deliveredPerSecond))));
    m_inFlight->setText(count(p.undelivered()));
    m_loss->setText(tr("%1 (out of order: %2, twice: %3)")
                        .arg(count(p.missing), count(p.outOfOrder), count(p.duplicates)));
    m_latency->setText(p.latency.count == 0 ? QStringLiteral("–")
                                            : tr("p50 %1 ms, p99 %2 ms")
                                                  .arg(milliseconds(p.latency.p50Ns),
                                                       milliseconds(p.latency.p99Ns)));
    showStatus();
}

void LoadPanel::showStatus()
{
    const bool failed = m_progress.phase == Phase::Finished && !isRunning()
        && (!m_progress.failures.isEmpty() || m_progress.stalled || m_progress.timedOut);
    QString text;
    if (!m_error.isEmpty())
        text = m_error;
    else if (isRunning())
        text = runningStatus();
    else if (m_progress.phase == Phase::Finished)
        text = finishedStatus() + u'\n' + hintWhenIdle();
    else
        text = hintWhenIdle();
    const bool red = !m_error.isEmpty() || failed;
    m_status->setStyleSheet(red ? QStringLiteral("color: #b03a2e") : QString());
    m_status->setText(text);
}

QString LoadPanel::runningStatus() const
{
    const Load::LoadProgress &p = m_progress;
    switch (p.phase) {
    case Phase::Idle:
    case Phase::Finished: // finished, not polled yet
        return tr("Starting the bots…");
    case Phase::SettingUp:
        return tr("Connecting the bots: %1 of %2 in %3…")
            .arg(p.connected)
            .arg(p.clients)
            .arg(m_channel->text().trimmed());
    case Phase::Sending:
        return tr("The bots are sending. Watch the threads view; Stop makes them leave.");
    case Phase::Draining:
        return tr("Stopping: waiting for the messages still on their way…");
    case Phase::Quitting:
        return tr("Stopping: the bots are leaving…");
    }
    return {};
}

QString LoadPanel::finishedStatus() const
{
    const Load::LoadProgress &p = m_progress;
    if (!p.failures.isEmpty())
        return tr("The bots stopped on an error: %1").arg(p.failures.constFirst());
    if (p.stalled)
        return tr("The bots stopped: nothing was delivered for several seconds.");
    if (p.timedOut)
        return tr("The bots stopped: the server did not let them all in within %1 s.")
            .arg(SetupTimeoutS);
    if (m_ending == Ending::ServerStopped)
        return tr("The bots left because the server stopped.");
    if (p.missing == 0 && p.outOfOrder == 0 && p.duplicates == 0 && p.undelivered() == 0)
        return tr("Stopped. Every message reached every bot once, in order.");
    return tr("Stopped. Lost: %1, out of order: %2, duplicates: %3, not delivered in time: %4.")
        .arg(count(p.missing), count(p.outOfOrder), count(p.duplicates), count(p.undelivered()));
}

QString LoadPanel::hintWhenIdle() const
{
    if (const QString problem = checkStartable(); !problem.isEmpty())
        return problem;
    const quint64 bots = quint64(m_bots->value());
    return tr("Ready: the server will deliver about %1 lines per second.")
        .arg(count(bots * (bots - 1) * quint64(m_rate->value())));
}

void LoadPanel::showError(const QString &text)
{
    m_error = text;
    showStatus();
}

QSize LoadPanel::sizeHint() const
{
    // A wrapped label's own hint guesses a narrow, tall shape; at the form's width the text
    // needs fewer lines, and the dock no more height than that.
    const QSize hint = m_content->sizeHint();
    const int height = heightForWidth(hint.width());
    return {hint.width(), height > 0 ? height : hint.height()};
}

int LoadPanel::heightForWidth(int width) const
{
    return m_content->layout()->totalHeightForWidth(width);
}

QString LoadPanel::statusText() const
{
    return m_status->text();
}

} // namespace App
