"""Charts every tab draws the same way (QtCharts): bars of counts with whole-number
ticks, names beside horizontal bars, months named every n-th, lines for long series; and
curves of shares (the Pareto curve). ``values`` and ``names`` read a chart back (tests)."""
from __future__ import annotations

import math

from PySide6.QtCharts import (QBarCategoryAxis, QBarSeries, QBarSet, QCategoryAxis, QChart, QHorizontalBarSeries,
                              QLineSeries, QValueAxis)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPen

COLORS = ("#2f6fd6", "#8fb8e8", "#2e8b57", "#b26a00")


def nice_step(top: float) -> int:
    """The step between the count axis' ticks: 1, 2, 5, 10, 20, 50 … for at most five steps."""
    base = 1
    while True:
        for times in (1, 2, 5):
            if top <= 5 * times * base:
                return times * base
        base *= 10


def _count_axis(sets: list[tuple[str, list[int]]]) -> QValueAxis:
    """Whole numbers from 0, ticks on round steps (never 0, 0, 1, 1 for a top of 1)."""
    top = max([max(v, default=0) for _n, v in sets] + [1])
    step = nice_step(top)
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, math.ceil(top / step) * step)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    return axis


def bar_chart(title: str, categories: list[str], sets: list[tuple[str, list[int]]], horizontal: bool = False,
           top_first: bool = False, label_every: int = 0, lines: bool = False) -> QChart:
    """Bars of counts. ``horizontal``: the names on the left (long category and level
    names are read whole there, not cut to "Produc…"), the first at the bottom, or on top
    with ``top_first``. ``label_every``: a month axis naming every n-th bar, so that three
    years of months are not 36 labels cut to "20…"; ``lines``: lines instead of bars
    (three bars a month for three years are a pixel wide each)."""
    chart = QChart()
    if top_first:  # a bar category axis puts its first name at the bottom; setReverse() does nothing there
        categories = categories[::-1]
        sets = [(name, values[::-1]) for name, values in sets]
        chart.setProperty("topFirst", True)
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    if lines:
        every = []
        for index, (name, values) in enumerate(sets):
            line = QLineSeries()
            line.setName(name)
            line.append([QPointF(x, v) for x, v in enumerate(values)])
            line.setPen(QPen(QColor(COLORS[index % len(COLORS)]), 2))
            chart.addSeries(line)
            every.append(line)
    else:
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        for index, (name, values) in enumerate(sets):
            bar = QBarSet(name)
            bar.append([float(v) for v in values])
            bar.setColor(QColor(COLORS[index % len(COLORS)]))
            series.append(bar)
        chart.addSeries(series)
        every = [series]
    if label_every:
        names = QCategoryAxis()
        names.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        names.setRange(-0.5, max(len(categories), 1) - 0.5)
        for index, name in enumerate(categories):
            if index % label_every == 0:
                names.append(name, index)
    else:
        names = QBarCategoryAxis()
        names.append(categories)
    names.setGridLineVisible(False)
    if horizontal and len(categories) > 5:
        # a Chinese font's line is a third taller than a Latin one: at 9 pt, eight names on a
        # half-page chart no longer fit their rows and Qt cuts each to "…"
        font = names.labelsFont()
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        names.setLabelsFont(font)
    counts = _count_axis(sets)
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    for series in every:
        series.attachAxis(names)
        series.attachAxis(counts)
    chart.legend().setVisible(len(sets) > 1)
    return chart


def values(chart: QChart) -> list[list[float]]:
    """The values of each set (or line) of a chart, in the order of its names (for tests)."""
    series = chart.series()
    if isinstance(series[0], QLineSeries):
        return [[point.y() for point in line.points()] for line in series]
    order = -1 if chart.property("topFirst") else 1
    return [[bar.at(i) for i in range(bar.count())][::order] for bar in series[0].barSets()]


def names(chart: QChart) -> list[str]:
    """The names along a chart's bars, as shown (for tests)."""
    for axis in chart.axes():
        if isinstance(axis, QCategoryAxis):
            return axis.categoriesLabels()
        if isinstance(axis, QBarCategoryAxis):
            return axis.categories()[::-1 if chart.property("topFirst") else 1]
    return []




def share_curve(title: str, points: list[tuple[float, float]], x_title: str, y_title: str,
                marks: tuple[float, ...] = ()) -> QChart:
    """A curve from 0 to 100 % on both axes (the Pareto curve), with dashed levels at
    ``marks`` (the A and A + B shares)."""
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    line = QLineSeries()
    line.append([QPointF(100 * x, 100 * y) for x, y in points])
    line.setPen(QPen(QColor(COLORS[0]), 2))
    chart.addSeries(line)
    every = [line]
    for mark in marks:
        level = QLineSeries()
        level.append([QPointF(0, 100 * mark), QPointF(100, 100 * mark)])
        pen = QPen(QColor(COLORS[3]), 1)
        pen.setStyle(Qt.PenStyle.DashLine)
        level.setPen(pen)
        chart.addSeries(level)
        every.append(level)
    axes = []
    for text, align in ((x_title, Qt.AlignmentFlag.AlignBottom), (y_title, Qt.AlignmentFlag.AlignLeft)):
        axis = QValueAxis()
        axis.setRange(0, 100)
        axis.setLabelFormat("%d%%")
        axis.setTickCount(6)
        axis.setTitleText(text)
        chart.addAxis(axis, align)
        axes.append(axis)
    for series in every:
        for axis in axes:
            series.attachAxis(axis)
    chart.legend().setVisible(False)
    return chart
