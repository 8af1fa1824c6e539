"""Run by Debian's /usr/bin/python3 (python3-qgis), not by pytest: open an OGC API Features collection with QGIS's
OAPIF provider, headless, through an authentication configuration of the Basic method (the token as password),
as a QGIS user sets it up, and print what QGIS read as JSON.

usage: QT_QPA_PLATFORM=offscreen python3 qgis_oapif.py URL COLLECTION TOKEN|- WEST SOUTH EAST NORTH
"""

import json
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
profile = tempfile.mkdtemp(prefix="qgis-profile-")
os.environ["QGIS_AUTH_DB_DIR_PATH"] = profile  # a fresh authentication database, not the user's

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsAuthMethodConfig,
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsRectangle,
    QgsVectorLayer,
)


def main() -> None:
    url, collection, token = sys.argv[1:4]
    west, south, east, north = (float(v) for v in sys.argv[4:8])
    app = QgsApplication([], False, profile)
    app.initQgis()
    uri = QgsDataSourceUri()
    uri.setParam("url", url)
    uri.setParam("typename", collection)
    uri.setParam("restrictToRequestBBOX", "1")  # fetch only what the request rectangle covers (bbox=)
    if token != "-":
        manager = QgsApplication.authManager()
        manager.setMasterPassword("qgis-test-master", True)
        config = QgsAuthMethodConfig("Basic")
        config.setName("IOC Đồng Nai")
        config.setConfig("username", "qgis")
        config.setConfig("password", token)
        assert manager.storeAuthenticationConfig(config)[0]
        uri.setAuthConfigId(config.id())
    layer = QgsVectorLayer(uri.uri(False), collection, "OAPIF")
    result = {"valid": layer.isValid()}
    if layer.isValid():
        request = QgsFeatureRequest().setFilterRect(QgsRectangle(west, south, east, north))
        features = list(layer.getFeatures(request))
        result.update(
            count=len(features),
            address_codes=sorted(str(f.attribute("address_code")) for f in features),
            fields=layer.fields().names(),
            crs=layer.crs().authid(),
            points=[[f.geometry().asPoint().x(), f.geometry().asPoint().y()] for f in features[:5]],
        )
    print(json.dumps(result), flush=True)
    os._exit(0)  # QgsApplication.exitQgis() crashes 3.22 when run headless; nothing is left to save


main()
