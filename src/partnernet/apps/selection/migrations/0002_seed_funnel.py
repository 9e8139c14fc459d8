"""Seed the book's three-stage funnel: everyone willing, authorised, VIP club."""

from django.db import migrations

STAGES = [
    ("willing", "Все желающие", "Everyone willing", 1, "", False),
    ("authorised", "Авторизованные", "Authorised", 2, "deals_12m>=1\ncertified_people>=1", True),
    (
        "vip",
        "VIP-клуб",
        "VIP club",
        3,
        "deals_12m>=5\ncertified_people>=2\nmarketing_events_12m>=1",
        True,
    ),
]


def seed(apps, schema_editor):
    Stage = apps.get_model("selection", "FunnelStageDefinition")
    for key, name, name_en, order, rules, recruited in STAGES:
        Stage.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "name_en": name_en,
                "order": order,
                "rules": rules,
                "counts_as_recruited": recruited,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("selection", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
