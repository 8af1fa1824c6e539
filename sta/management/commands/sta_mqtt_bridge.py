"""Run the MQTT bridge: store what devices publish, publish what is stored (a long-running platform process)."""

import signal

from django.core.management.base import BaseCommand

from sta.mqtt import bridge_from_settings


class Command(BaseCommand):
    help = "Subscribe to v1.1/Datastreams(id)/Observations on the broker, store the observations, publish stored ones."

    def handle(self, *args, **options):
        bridge = bridge_from_settings()
        signal.signal(signal.SIGTERM, lambda *_: bridge.stop())
        signal.signal(signal.SIGINT, lambda *_: bridge.stop())
        self.stdout.write(f"mqtt bridge: {bridge.host}:{bridge.port}", ending="\n")
        self.stdout.flush()
        bridge.run()
