"""Scenario step executors: spatial (aggregate, proximity, overlay) and measures (exceedances, rasters, clusters, ratios, costs)."""
