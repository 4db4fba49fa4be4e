#include "app/throughputchart.h"

#include <QEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace App {

ThroughputChart::ThroughputChart(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    retranslateUi();
}

void ThroughputChart::addSample(double perSecond)
{
    // NaN or a negative rate from a clock hiccup would wreck the scale.
    m_samples.append(std::isfinite(perSecond) ? std::max(perSecond, 0.0) : 0.0);
    if (m_samples.size() > m_capacity)
        m_samples.remove(0, m_samples.size() - m_capacity);
    update();
}

void ThroughputChart::setCapacity(int samples)
{
    m_capacity = std::max(samples, 2);
    if (m_samples.size() > m_capacity)
        m_samples.remove(0, m_samples.size() - m_capacity);
    retranslateUi(); // the tooltip names the span
}

void ThroughputChart::setSampleInterval(int milliseconds)
{
    m_intervalMs = std::max(milliseconds, 1);
    retranslateUi(); // the tooltip names the span
}

void ThroughputChart::setSeriesLabel(const QString &label)
{
    m_label = label;
    update();
}

void ThroughputChart::clear()
{
    m_samples.clear();
    update();
}

QSize ThroughputChart::sizeHint() const
{
    return {fontMetrics().averageCharWidth() * 60, fontMetrics().height() * 9};
}

QSize ThroughputChart::minimumSizeHint() const
{
    return {fontMetrics().averageCharWidth() * 24, fontMetrics().height() * 6};
}

double ThroughputChart::axisMaximum(double largest)
{
    if (!(largest > 1))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(largest)));
    for (double step : {1.0, 2.0, 5.0}) {
        if (largest <= step * magnitude)
            return step * magnitude;
    }
    return 10 * magnitude;
}

QString ThroughputChart::compactNumber(double value)
{
    const QLocale locale;
    if (value >= 1e6)
        return tr("%1M").arg(locale.toString(value / 1e6, 'f', value >= 1e7 ? 0 : 1));
    if (value >= 1e3)
        return tr("%1k").arg(locale.toString(value / 1e3, 'f', value >= 1e4 ? 0 : 1));
    const bool whole = value == std::floor(value) || value >= 10;
    return locale.toString(value, 'f', whole ? 0 : 1);
}

void ThroughputChart::retranslateUi()
{
    setToolTip(tr("Throughput over the last %1").arg(spanText()));
    update(); // the axis texts are translated while painting
}

void ThroughputChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString ThroughputChart::spanText() const
{
    const qint64 seconds = qint64(m_capacity) * m_intervalMs / 1000;
    return seconds >= 120 ? tr("%1 min").arg(seconds / 60) : tr("%1 s").arg(seconds);
}

QRectF ThroughputChart::plotArea() const
{
    const QFontMetrics metrics = fontMetrics();
    const qreal labelWidth = metrics.horizontalAdvance(compactNumber(888e3)) + 8;
    const qreal line = metrics.height();
    return QRectF(rect()).adjusted(labelWidth, line + 8, -10, -(line + 6));
}

void ThroughputChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(rect().adjusted(0, 0, -1, -1));
    const QRectF plot = plotArea();
    if (plot.width() < 10 || plot.height() < 10)
        return;
    const double largest
        = m_samples.isEmpty() ? 0 : *std::max_element(m_samples.cbegin(), m_samples.cend());
    const double top = axisMaximum(largest);
    drawAxes(painter, plot, top);
    drawSeries(painter, plot, top);
    drawTitle(painter);
}

void ThroughputChart::drawAxes(QPainter &painter, const QRectF &plot, double top) const
{
    const QFontMetrics metrics = fontMetrics();
    const QColor text = palette().color(QPalette::Text);
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(110);
    for (int step = 0; step <= 2; ++step) {
        const qreal y = plot.bottom() - plot.height() * step / 2;
        painter.setPen(step == 0 ? palette().color(QPalette::Mid) : grid);
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter.setPen(text);
        const QRectF label(0, y - metrics.height() / 2.0, plot.left() - 4, metrics.height());
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter, compactNumber(top * step / 2));
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(plot.bottomLeft(), plot.topLeft());
    painter.setPen(text);
    const QRectF axis(plot.left(), plot.bottom() + 3, plot.width(), metrics.height());
    painter.drawText(axis, Qt::AlignLeft | Qt::AlignTop, tr("−%1").arg(spanText()));
    painter.drawText(axis, Qt::AlignRight | Qt::AlignTop, tr("now"));
}

void ThroughputChart::drawSeries(QPainter &painter, const QRectF &plot, double top) const
{
    if (m_samples.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(plot, Qt::AlignCenter, tr("No samples yet"));
        return;
    }
    // The newest sample sits at the right edge; history grows in from the left.
    const qreal dx = plot.width() / (m_capacity - 1);
    const qsizetype count = m_samples.size();
    QPolygonF line;
    line.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        line.append({plot.right() - dx * qreal(count - 1 - i),
                     plot.bottom() - plot.height() * m_samples.at(i) / top});
    painter.setRenderHint(QPainter::Antialiasing);
    QColor fill = palette().color(QPalette::Highlight);
    fill.setAlpha(70);
    QPolygonF area = line;
    area.append({line.last().x(), plot.bottom()});
    area.append({line.first().x(), plot.bottom()});
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawPolygon(area);
    painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
    painter.setBrush(Qt::NoBrush);
    painter.drawPolyline(line);
    painter.setRenderHint(QPainter::Antialiasing, false);
}

void ThroughputChart::drawTitle(QPainter &painter) const
{
    const QRectF title = QRectF(rect()).adjusted(8, 3, -10, 0);
    const QString current
        = m_samples.isEmpty() ? QString() : tr("now: %1").arg(compactNumber(m_samples.last()));
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(title, Qt::AlignRight | Qt::AlignTop, current);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    const qreal room = title.width() - fontMetrics().horizontalAdvance(current) - 12;
    painter.drawText(title, Qt::AlignLeft | Qt::AlignTop,
                     QFontMetrics(bold).elidedText(m_label, Qt::ElideRight, int(room)));
    painter.setFont(font());
}

} // namespace App
