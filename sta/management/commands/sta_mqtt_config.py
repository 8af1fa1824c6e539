"""Write the broker's configuration, password file and ACL from the device accounts (then reload the broker)."""

import getpass
import os
import signal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sta.devices import broker_files

CONFIG = """# Written by manage.py sta_mqtt_config: do not edit (device accounts come from manage.py sta_device).
per_listener_settings false
allow_anonymous false
password_file {dir}/passwd
acl_file {dir}/acl
listener {port} {bind}
persistence false
# the bridge subscribes with QoS 1: a burst from many devices must queue for it, not be dropped at 1,000
max_queued_messages 100000
max_inflight_messages 100
pid_file {dir}/mosquitto.pid
user {user}
log_dest stderr
log_type error
log_type warning
log_type notice
"""


class Command(BaseCommand):
    help = "Write mosquitto.conf, passwd and acl into MAPSERVER_MQTT_DIR (--reload: SIGHUP the running broker)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=settings.MAPSERVER_MQTT_DIR)
        parser.add_argument("--port", type=int, default=settings.MAPSERVER_MQTT_PORT)
        parser.add_argument("--bind", default=settings.MAPSERVER_MQTT_BIND)
        parser.add_argument("--reload", action="store_true")

    def handle(self, *args, **options):
        password = settings.MAPSERVER_MQTT_PASSWORD
        if not password:
            raise CommandError("set MAPSERVER_MQTT_PASSWORD (the bridge's broker password)")
        directory = options["dir"].resolve()
        broker_files(directory, settings.MAPSERVER_MQTT_USER, password)
        conf = directory / "mosquitto.conf"
        conf.write_text(
            CONFIG.format(dir=directory, port=options["port"], bind=options["bind"], user=getpass.getuser()),
            encoding="utf-8",
        )
        self.stdout.write(str(conf))
        if options["reload"]:
            pid_file = directory / "mosquitto.pid"
            if not pid_file.exists():
                raise CommandError("no running broker (no mosquitto.pid)")
            os.kill(int(pid_file.read_text().strip()), signal.SIGHUP)
