"""Seed the extendable vocabularies: specialisations and customer sectors."""

from django.db import migrations

SPECIALISATIONS = [('computer_hardware', 'Компьютерное оборудование', 'Computer hardware'),
 ('virtualisation', 'Виртуализация', 'Virtualisation'),
 ('audio_video', 'Аудио-видео-презентационное оборудование', 'Audio-video-presentation'),
 ('iot', 'Интернет вещей', 'IoT'),
 ('networking', 'Сетевое оборудование', 'Networking'),
 ('information_security', 'Информационная безопасность', 'Information security'),
 ('complex_solutions', 'Комплексные решения для предприятий', 'Complex enterprise solutions'),
 ('storage', 'Системы хранения данных', 'Storage'),
 ('cloud', 'Облачные решения', 'Cloud')]

SECTORS = [('enterprise', 'segment', 'Крупный бизнес (Enterprise)', 'Enterprise'),
 ('smb', 'segment', 'Малый и средний бизнес (SMB)', 'SMB'),
 ('public', 'segment', 'Государственный сектор', 'Public sector'),
 ('oil_gas', 'vertical', 'Нефть и газ', 'Oil and gas'),
 ('energy', 'vertical', 'Энергетика', 'Energy and utilities'),
 ('healthcare', 'vertical', 'Медицина', 'Healthcare'),
 ('retail', 'vertical', 'Розничная торговля', 'Retail'),
 ('finance', 'vertical', 'Финансы и страхование', 'Finance and insurance'),
 ('telecom', 'vertical', 'Телеком', 'Telecom'),
 ('manufacturing', 'vertical', 'Промышленность', 'Manufacturing'),
 ('education', 'vertical', 'Образование', 'Education'),
 ('transport', 'vertical', 'Транспорт и логистика', 'Transport and logistics')]


def seed(apps, schema_editor):
    Specialisation = apps.get_model("register", "Specialisation")
    Sector = apps.get_model("register", "Sector")
    for position, (key, name, name_en) in enumerate(SPECIALISATIONS, start=1):
        Specialisation.objects.get_or_create(
            key=key, defaults={"name": name, "name_en": name_en, "position": position}
        )
    for position, (key, kind, name, name_en) in enumerate(SECTORS, start=1):
        Sector.objects.get_or_create(
            key=key,
            defaults={"name": name, "name_en": name_en, "kind": kind, "position": position},
        )


def unseed(apps, schema_editor):
    apps.get_model("register", "Specialisation").objects.filter(
        key__in=[row[0] for row in SPECIALISATIONS]
    ).delete()
    apps.get_model("register", "Sector").objects.filter(
        key__in=[row[0] for row in SECTORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
