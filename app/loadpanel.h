#pragma once

#include "loadlib/loadengine.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <deque>

class QCheckBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace App {

// The load lab: N bots join a channel of the app's own server and send at a chosen rate, so
// that the threads view and the throughput chart show how each threading model copes. The
// bots are the load generator's engine (qtchat-load), on threads of their own; this widget
// only starts and stops it and polls its progress a few times a second, so the GUI thread never
// waits for a bot.
//
// The server's default limits (clients per address, flood control) would refuse or drop the
// bots. Lifting them is the user's explicit choice, made here: MainWindow asks liftsLimits()
// when it starts the server, and the bots only start on a server that runs without limits.
class LoadPanel : public QWidget
{
    Q_OBJECT

public:
    explicit LoadPanel(QWidget *parent = nullptr);
    ~LoadPanel() override; // stops the bots and joins the engine

    // The server listens on `host`:`port`; `limitsLifted` is how it was started.
    void serverStarted(const QString &host, quint16 port, bool limitsLifted);
    // The server is about to stop: the bots QUIT and the engine thread is joined before this
    // returns (about 0.1 s: the engine notices a stop on its next tick).
    void serverStopping();
    // The user chose to lift the server's limits for load testing (applies at its next start).
    bool liftsLimits() const;

    // What Start and Stop do. startLoad() is false (and says why in the panel) when the bots
    // cannot start; stopLoad() returns at once, finished() follows when the bots are gone.
    bool startLoad();
    void stopLoad();
    // The engine's thread is alive (started and not yet joined).
    bool isRunning() const { return m_engine.isRunning(); }
    // As of the last poll.
    const Load::LoadProgress &progress() const { return m_progress; }
    QString statusText() const;
    // The whole form, not the scroll area's guess, so that the dock starts out big enough.
    QSize sizeHint() const override;
    // The form's height at `width`, its text wrapped to it.
    int heightForWidth(int width) const override;

    QSpinBox *botsBox() const { return m_bots; }
    QSpinBox *rateBox() const { return m_rate; }
    QLineEdit *channelEdit() const { return m_channel; }
    QCheckBox *liftLimitsBox() const { return m_liftLimits; }
    QPushButton *startStopButton() const { return m_startStop; }
    QPushButton *restartButton() const { return m_restart; }

Q_SIGNALS:
    // The user wants the server restarted so that the lift-limits choice takes effect.
    void restartServerRequested();
    void progressUpdated();
    // The bots are gone and the engine thread is joined.
    void finished();

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class Ending { None, Stopped, ServerStopped };
    struct Sample
    {
        qint64 ms;
        quint64 sent;
        quint64 received;
    };

    void buildForm();
    QGridLayout *buildStatsGrid(QWidget *content);
    void retranslateUi();
    Load::LoadOptions options() const;
    QString checkStartable() const;
    void poll();
    void finishRun();
    void updateControls();
    void updateRates();
    void showProgress();
    void showStatus();
    QString runningStatus() const;
    QString finishedStatus() const;
    QString hintWhenIdle() const;
    void showError(const QString &text);

    Load::LoadEngine m_engine;
    QTimer m_pollTimer;
    QElapsedTimer m_clock;
    std::deque<Sample> m_samples; // the last second of polls, for the rates
    Load::LoadProgress m_progress;
    double m_sentPerSecond = 0;
    double m_deliveredPerSecond = 0;
    QString m_host;
    quint16 m_port = 0;
    bool m_serverRunning = false;
    bool m_serverLimitsLifted = false;
    Ending m_ending = Ending::None;
    QString m_error;

    QLabel *m_botsLabel, *m_rateLabel, *m_channelLabel;
    QSpinBox *m_bots;
    QSpinBox *m_rate;
    QLineEdit *m_channel;
    QCheckBox *m_liftLimits;
    QLabel *m_limitsNote;
    QPushButton *m_startStop;
    QPushButton *m_restart;
    QLabel *m_status;
    QWidget *m_content = nullptr;
    QLabel *m_connectedLabel, *m_sentLabel, *m_deliveredLabel, *m_inFlightLabel;
    QLabel *m_lossLabel, *m_latencyLabel;
    QLabel *m_connected, *m_sent, *m_delivered, *m_inFlight, *m_loss, *m_latency;
};

} // namespace App
