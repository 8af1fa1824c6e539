"""Spatial queries, indicators and alerts, scenario declarations, runs and exports."""
