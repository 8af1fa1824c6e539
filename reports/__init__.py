"""Field reports from commune staff and citizens (Open311 GeoReport v2), their workflow and reporters' privacy."""
