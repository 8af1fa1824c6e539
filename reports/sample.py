"""Synthetic sample reports (marked synthetic, anonymous): what the map and the indicators show on sample data."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from mapserver.models import hash_token
from reports import queries
from reports.models import FieldReport, ServiceCategory, Status, Transition
from reports.submission import token_for
from reports.workflow import due_at

PATH = [Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
DESCRIPTIONS = {
    "waste": "Rác thải tập kết sai nơi quy định",
    "street_light": "Đèn đường không sáng",
    "road_damage": "Ổ gà lớn giữa đường",
    "drainage_flooding": "Ngập sau mưa, cống bị tắc",
    "tree_hazard": "Cây nghiêng có nguy cơ đổ",
    "urban_order": "Lấn chiếm vỉa hè buôn bán",
}


def _path_for(age_h: float, sla_h: int, rng: random.Random) -> list[str]:
    """The states a report of this age went through: older ones further along; a few rejected or late."""
    if rng.random() < 0.05:
        return [Status.REJECTED]
    progress = min(len(PATH), int(age_h / max(sla_h, 1) * 3 * rng.random() + rng.random() * 2))
    return PATH[:progress]


def _report(category: ServiceCategory, where: dict, requested) -> FieldReport:
    salt = secrets.token_urlsafe(16)
    return FieldReport(
        category=category,
        status=Status.RECEIVED,
        description=DESCRIPTIONS.get(category.code, category.name),
        geom=Point(where["lon"], where["lat"], srid=4326),
        commune_code=where["code"],
        commune_name=where["name"],
        sector=category.sector,
        department=category.department,
        agency_responsible=f"UBND {where['name']} / {category.department}",
        channel="sample",
        requested_at=requested,
        updated_at=requested,
        due_at=due_at(requested, category),
        token_salt=salt,
        token_digest=hash_token(token_for(salt)),
        synthetic=True,
    )


@transaction.atomic
def generate(per_commune: int = 4, seed: int = 20250701, days: int = 30) -> int:
    """Create per_commune anonymous synthetic reports in every commune over the last `days` days."""
    rng = random.Random(seed)
    categories = list(ServiceCategory.objects.filter(active=True))
    now = timezone.now()
    reports, steps = [], []
    for where in queries.sample_points(per_commune, seed):
        category = rng.choice(categories)
        requested = now - timedelta(hours=rng.uniform(0.5, days * 24))
        report = _report(category, where, requested)
        states, at = _path_for((now - requested).total_seconds() / 3600, category.sla_hours, rng), requested
        steps.append([(None, Status.RECEIVED, requested)])
        for state in states:
            at = min(now, at + timedelta(hours=rng.uniform(0.2, category.sla_hours * 0.6)))
            steps[-1].append((report.status, state, at))
            report.status, report.updated_at = state, at
        report.resolved_at = next((a for _, s, a in steps[-1] if s == Status.RESOLVED), None)
        report.closed_at = next((a for _, s, a in steps[-1] if s == Status.CLOSED), None)
        if report.status == Status.REJECTED:
            report.status_notes = "Phản ánh không thuộc phạm vi xử lý."
        reports.append(report)
    FieldReport.objects.bulk_create(reports, batch_size=1000)
    Transition.objects.bulk_create(
        [
            Transition(report=r, from_status=a or "", to_status=b, at=t, by_username="sample", by_role="")
            for r, path in zip(reports, steps)
            for a, b, t in path
        ],
        batch_size=2000,
    )
    return len(reports)
