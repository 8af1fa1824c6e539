"""Indicator entry by the units that own the figures (JSON, the XLSX template, the workspace form), the versions
kept on correction, period locks, and the submission tracker with its "not reported" alerts. The indicator
definitions, targets and values are stored by geodata; comparisons, maps and scenarios are the scenarios app's."""
