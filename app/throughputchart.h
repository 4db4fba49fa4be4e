#pragma once

#include <QList>
#include <QWidget>

class QPainter;

namespace App {

// A line chart of one rate over the last couple of minutes, newest sample at the right edge.
// The vertical axis follows the largest visible sample, rounded up to 1, 2 or 5 × 10^n, so a
// quiet chat and a load test both fill the chart.
class ThroughputChart : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DefaultCapacity = 120;

    explicit ThroughputChart(QWidget *parent = nullptr);

    void addSample(double perSecond);
    QList<double> samples() const { return m_samples; }
    void setCapacity(int samples);
    int capacity() const { return m_capacity; }
    // Time between samples, for the time axis (ChatServer publishes stats once a second).
    void setSampleInterval(int milliseconds);
    int sampleInterval() const { return m_intervalMs; }
    void setSeriesLabel(const QString &label);
    QString seriesLabel() const { return m_label; }
    void clear();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // The top of the vertical axis for `largest`: 1, 2 or 5 × 10^n, at least 1.
    static double axisMaximum(double largest);
    // 950, 12.5k, 3.2M: fits the axis labels in a narrow widget.
    static QString compactNumber(double value);

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    QRectF plotArea() const;
    void drawAxes(QPainter &painter, const QRectF &plot, double top) const;
    void drawSeries(QPainter &painter, const QRectF &plot, double top) const;
    void drawTitle(QPainter &painter) const;
    QString spanText() const;

    QList<double> m_samples;
    int m_capacity = DefaultCapacity;
    int m_intervalMs = 1000;
    QString m_label;
};

} // namespace App
