"""Key public-investment projects and the tasks assigned by central government and the province (issue 14)."""

from django.contrib.gis.db import models

from geodata.models.base import FeatureBase
from geodata.vocabularies import PROJECT_STATUS, TASK_SOURCE, TASK_STATUS


class KeyProject(FeatureBase):
    """A key public-investment project: footprint, investor, capital plan, disbursement, progress, schedule."""

    name = models.CharField(max_length=200)
    investor = models.CharField(max_length=200)
    capital_plan_bn = models.FloatField()  # this year's capital plan, billion VND
    disbursed_bn = models.FloatField(default=0)  # disbursed to date this year, billion VND
    progress_pct = models.FloatField(default=0)
    status = models.CharField(max_length=16, choices=PROJECT_STATUS.choices)
    start_on = models.DateField()
    planned_end_on = models.DateField()
    obstacles = models.CharField(max_length=300, blank=True, default="")
    geom = models.MultiPolygonField(srid=4326)


class AssignedTask(FeatureBase):
    """A task assigned by central government or the province: responsible unit, deadline, status."""

    title = models.CharField(max_length=300)
    source = models.CharField(max_length=12, choices=TASK_SOURCE.choices)
    document = models.CharField(max_length=80, blank=True, default="")
    responsible_unit = models.CharField(max_length=160)
    deadline = models.DateField()
    status = models.CharField(max_length=16, choices=TASK_STATUS.choices)
    completed_on = models.DateField(null=True)
    geom = models.PointField(srid=4326)
