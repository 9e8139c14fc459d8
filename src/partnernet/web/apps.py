from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "partnernet.web"
    label = "partnernet_web"
