"""The live tests reuse the SensorThings device and its clean-up."""

from tests.sta.conftest import device, device_api  # noqa: F401 (fixtures)
