"""Indicators of decision 456/QĐ-UBND: definitions, targets per year and level, values per unit and period."""

import re

from django.db import models

from geodata.vocabularies import INDICATOR_FREQUENCY, INDICATOR_GROUP, INDICATOR_LEVEL, PROVINCE_RULE

# The stored form of a period: 2026 (year), 2026-Q1 (quarter) or 2026-03 (month); groups: year, month, quarter.
PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")
PROVINCE = ""  # the commune_code of a province-level (or department-level) figure and of a province target


class Indicator(models.Model):
    """One indicator: who owns it, how often and at which level it is reported, how the province figure is made."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True, default="", db_default="")
    group = models.CharField(max_length=24, choices=INDICATOR_GROUP.choices, default="economy", db_default="economy")
    unit = models.CharField(max_length=32)
    sector = models.CharField(max_length=32)  # the responsible department's sector code (its staff enter it)
    department = models.CharField(max_length=160)  # the responsible department's name
    target = models.FloatField()  # the standing target, used for a year without a declared IndicatorTarget
    higher_is_better = models.BooleanField(default=True)
    period_kind = models.CharField(max_length=8, default="month", choices=INDICATOR_FREQUENCY.choices)
    # commune: each commune enters its own figure; department/province: the department enters one province figure
    level = models.CharField(max_length=12, choices=INDICATOR_LEVEL.choices, default="commune", db_default="commune")
    # entered: the province figure is entered; sum/mean/weighted_mean: computed from the communes, never entered
    province_rule = models.CharField(max_length=16, choices=PROVINCE_RULE.choices, default="mean", db_default="mean")
    # figures the platform computes itself (e.g. open field reports): no unit reports them, nobody enters them
    computed = models.BooleanField(default=False, db_default=False)
    weight_indicator = models.CharField(
        max_length=32, blank=True, default="", db_default=""
    )  # weighted_mean: the weights' code
    synthetic = models.BooleanField(default=False)

    def targets_of(self, year: int) -> dict[str, float]:
        """The year's declared targets by commune code ("" for the province's)."""
        return dict(self.targets.filter(year=year).values_list("commune_code", "value"))

    @staticmethod
    def pick_target(targets: dict[str, float], commune_code: str, standing: float) -> float:
        """A commune's own target, else the province's, else the standing target."""
        return targets.get(commune_code, targets.get(PROVINCE, standing))

    def period_target(self, targets: dict[str, float], unit: str) -> float | None:
        """A unit's target for one period, from the year's `targets`: its own, else the province's, else the
        standing one; a summed flow's year target is spread evenly over the year's months or quarters (None for
        a commune without its share declared: the province's total is no commune's target)."""
        if self.province_rule != "sum":
            return self.pick_target(targets, unit, self.target)
        if unit != PROVINCE and unit not in targets:
            return None
        per_year = {"month": 12, "quarter": 4}.get(self.period_kind, 1)
        return self.pick_target(targets, unit, self.target) / per_year


class IndicatorTarget(models.Model):
    """A year's target at one level: the province's (commune_code "") or one commune's."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.SmallIntegerField()
    commune_code = models.CharField(max_length=8, blank=True, default=PROVINCE)
    value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "commune_code"], name="uniq_indicator_target")
        ]


class IndicatorValue(models.Model):
    """The current figure of one unit (a commune, or "" for the province) for one period, with who entered it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    commune_code = models.CharField(max_length=8, db_index=True)
    period = models.CharField(max_length=8)  # 2026-03, 2026-Q1, 2026
    value = models.FloatField()
    entered_by = models.CharField(max_length=150, blank=True, default="", db_default="")
    entered_at = models.DateTimeField(null=True)
    source = models.CharField(max_length=12, blank=True, default="", db_default="")  # sample form api xlsx import

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "commune_code", "period"], name="uniq_indicator_value")
        ]
        # an indicator's periods: its latest one (the alert panel, each indicator), a period's values (choropleths)
        indexes = [models.Index(fields=["indicator", "period"], name="indicator_value_period")]


class IndicatorRevision(models.Model):
    """A superseded figure: what was there before a correction, who had entered it, and who replaced it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="revisions")
    commune_code = models.CharField(max_length=8)
    period = models.CharField(max_length=8)
    value = models.FloatField()
    entered_by = models.CharField(max_length=150, blank=True, default="")
    entered_at = models.DateTimeField(null=True)
    source = models.CharField(max_length=12, blank=True, default="")
    replaced_by = models.CharField(max_length=150)
    replaced_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["indicator", "commune_code", "period"], name="indicator_revision_key")]


class PeriodLock(models.Model):
    """A reviewed period the IOC has locked: no value of it may be written until it is unlocked."""

    period = models.CharField(max_length=8, unique=True)
    locked_by = models.CharField(max_length=150)
    locked_at = models.DateTimeField()
