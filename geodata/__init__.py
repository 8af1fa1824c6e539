"""What is stored: admin units and sector layers (GeoDjango models), CRS definitions, import/export, sample data.

Imports no other local app.
"""
