"""One alert model for every source (scenario runs, indicators, submissions, sensors, report deadlines, cameras):
raising without duplicates, the raised → acknowledged → resolved lifecycle, scoping and the HTTP API."""
