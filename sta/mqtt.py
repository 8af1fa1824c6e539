"""The MQTT bridge of the SensorThings API: a process of the platform that subscribes to
`v1.1/Datastreams(id)/Observations` on the broker and stores what devices publish there (the same validation as
HTTP; the broker's ACL lets each device publish only to its own datastreams), and publishes every stored
observation (from MQTT or HTTP, announced on `mapserver_events`) back on that topic for subscribers."""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
from datetime import datetime
from typing import Any

import paho.mqtt.client as mqtt
import psycopg
from django.conf import settings
from django.db import close_old_connections
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from mapserver.errors import ApiError, InvalidParameterValue
from mapserver.jsonio import parse_json
from mapserver.pgnotify import CHANNEL, conninfo
from sta import ingest
from sta.entities import iso

log = logging.getLogger(__name__)
SUBSCRIPTION = "v1.1/+/Observations"
_TOPIC = re.compile(r"^v1\.1/Datastreams\((\d{1,18})\)/Observations$")
MAX_PAYLOAD = 64 * 1024
BATCH_MAX = 500  # messages stored in one transaction, at most (the broker delivers max_inflight_messages unacked)
SESSION_EXPIRY_S = 24 * 3600  # how long the broker keeps the bridge's session (and queues for it) while it is away


def topic_of(sensor_id: int) -> str:
    """The MQTT topic of a datastream's observations."""
    return f"v1.1/Datastreams({sensor_id})/Observations"


def message_reading(topic: str, payload: bytes) -> ingest.Reading:
    """The Observation of one published message. ApiError (4xx) for what HTTP would refuse."""
    match = _TOPIC.match(topic)
    if not match:
        raise InvalidParameterValue(f"not an observation topic: {topic[:80]}")
    if len(payload) > MAX_PAYLOAD:
        raise InvalidParameterValue("the payload is over 64 KiB")
    body = parse_json(payload, what="the payload")
    return ingest.observation_reading(body, int(match.group(1)))


def store_messages(messages: list[mqtt.MQTTMessage]) -> int:
    """Store the valid messages of a batch in one transaction (refusing the invalid ones, each logged); when the
    batch as a whole is refused or fails, each message is stored on its own. Returns how many were stored."""
    readings = []
    for message in messages:
        try:
            readings.append(message_reading(message.topic, message.payload))
        except ApiError as error:  # a device's bad message: refused, as HTTP would answer 4xx
            log.warning("refused MQTT message on %s: %s", message.topic[:80], error.description)
    if not readings:
        return 0
    try:
        ingest.store(None, readings, channel="mqtt")
    except Exception:  # e.g. a datastream removed since: find the message(s) at fault
        log.warning("could not store a batch of %d MQTT messages; storing them one by one", len(readings))
        return sum(_store_one(reading) for reading in readings)
    log.info("stored %d observations from MQTT", len(readings))
    return len(readings)


def _store_one(reading: ingest.Reading) -> bool:
    try:
        ingest.store(None, [reading], channel="mqtt")
    except ApiError as error:
        log.warning("refused MQTT message for Datastream %s: %s", reading.sensor_id, error.description)
        return False
    except Exception:
        log.exception("could not store the MQTT message for Datastream %s", reading.sensor_id)
        return False
    return True


def entity_json(event: dict) -> str:
    """The STA Observation a subscriber receives, from the event announced when it was stored."""
    observed = iso(datetime.fromisoformat(event["observed_at"]))
    return json.dumps(
        {
            "@iot.id": event["id"],
            "phenomenonTime": observed,
            "resultTime": observed,
            "result": event["value"],
            "Datastream": {"@iot.id": event["sensor_id"]},
        },
        allow_nan=False,
    )


class Bridge:
    """One broker connection (MQTT 5, so it does not receive its own publications) and one LISTEN connection."""

    def __init__(self, host: str, port: int, user: str, password: str):
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id="mapserver-bridge", protocol=mqtt.MQTTv5, manual_ack=True
        )
        self.client.username_pw_set(user, password)
        self.inbox: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.host, self.port = host, port
        self.subscribed = threading.Event()
        self.stopping = threading.Event()
        self.client.on_subscribe = self._on_subscribe

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.error("the broker refused the bridge: %s", reason_code)
            return
        client.subscribe(SUBSCRIPTION, options=SubscribeOptions(qos=1, noLocal=True))

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        log.info("mqtt bridge: subscribed to %s", SUBSCRIPTION)
        self.subscribed.set()

    def _on_message(self, client, userdata, message) -> None:
        self.inbox.put(message)  # stored by the storing thread, acknowledged after

    def _batch(self) -> list[mqtt.MQTTMessage]:
        """What the broker has delivered: waits up to a second for the first message, then takes what is queued."""
        try:
            batch = [self.inbox.get(timeout=1.0)]
        except queue.Empty:
            return []
        while len(batch) < BATCH_MAX:
            try:
                batch.append(self.inbox.get_nowait())
            except queue.Empty:
                break
        return batch

    def store_delivered(self) -> None:
        """Store what devices publish, batch by batch, until stop(); acknowledge each message after its batch."""
        while not self.stopping.is_set():
            batch = self._batch()
            if not batch:
                continue
            close_old_connections()
            store_messages(batch)
            for message in batch:  # in the order received, as MQTT requires
                self.client.ack(message.mid, message.qos)

    def publish_stored(self, event: dict[str, Any]) -> None:
        """Publish a stored observation on its datastream's topic (QoS 1)."""
        properties = Properties(PacketTypes.PUBLISH)
        properties.ContentType = "application/json"
        self.client.publish(topic_of(event["sensor_id"]), entity_json(event), qos=1, properties=properties)

    def listen(self) -> None:
        """Relay the `observation` events of mapserver_events to the broker until stop()."""
        with psycopg.connect(**conninfo(), autocommit=True) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            log.info("mqtt bridge: listening on %s", CHANNEL)
            while not self.stopping.is_set():
                for notify in connection.notifies(timeout=1.0):
                    try:
                        event = json.loads(notify.payload)
                    except ValueError:
                        continue
                    if event.get("type") == "observation":
                        self.publish_stored(event)

    def run(self) -> None:
        """Connect, subscribe and relay until stopped (reconnecting to the broker by itself)."""
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = SESSION_EXPIRY_S
        self.client.connect_async(self.host, self.port, keepalive=30, clean_start=False, properties=properties)
        self.client.loop_start()
        storing = threading.Thread(target=self.store_delivered, name="mqtt-store", daemon=True)
        storing.start()
        try:
            self.listen()
        finally:
            self.stopping.set()
            storing.join()
            self.client.disconnect()
            self.client.loop_stop()

    def stop(self) -> None:
        self.stopping.set()


def bridge_from_settings() -> Bridge:
    """The bridge configured by MAPSERVER_MQTT_*."""
    return Bridge(
        settings.MAPSERVER_MQTT_HOST,
        settings.MAPSERVER_MQTT_PORT,
        settings.MAPSERVER_MQTT_USER,
        settings.MAPSERVER_MQTT_PASSWORD,
    )
