"""The indicators app: entry, versions, locks, submission tracker."""

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicator entry and submission tracker"
