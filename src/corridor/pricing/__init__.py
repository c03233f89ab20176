"""Prices at a date: dated tariffs, exchange rates and published rate indexes.

:mod:`corridor.pricing.model` holds the records of ``tariffs.csv``, ``fx.csv`` and
``indexes.csv``; :mod:`corridor.pricing.book` validates them and answers "what did this cost on
that day"; :mod:`corridor.pricing.apply` writes those prices into a network's links and dwell
rows, so routing and simulation see plain USD figures for the chosen date.
"""
