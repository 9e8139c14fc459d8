from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "partnernet.cli"
    label = "partnernet_cli"
