#pragma once

#include "loadlib/loadreport.h"
#include "serverlib/serverconfig.h"
#include "tools/guilag/lagprobe.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

// One measurement of issue 5's GUI target: the app's MainWindow, log view open, its own server
// in `threading` with the limits lifted, and the fan-out preset run against it by the load
// engine in this process. The probe covers what a user would sit through: from the bots'
// set-up until the log has taken the last relayed line.
struct GuiLagRun
{
    Server::ThreadingModel threading = Server::ThreadingModel::Pool;
    LagSample probe;
    std::optional<Load::LoadReport> fanout;
    int logLines = 0; // what the log view holds at the end
    // From the GUI seeing the fan-out end to the log having taken every line the server
    // relayed; empty when it had not when the measurement ended.
    std::optional<double> logCatchUpMs;
    QStringList failures; // set-up problems and a run that did not end

    // The fan-out delivered everything in order; the lag is a measurement, never a failure.
    bool passed() const;
    QJsonObject toJson() const;
    QString toText() const;
};

// Needs a QApplication and AppSettings::setFileName() done: it writes the port it picks there.
GuiLagRun measureGuiLag(Server::ThreadingModel threading);
