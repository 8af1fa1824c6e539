"""Import and export of layer data: readers, checks, the pinned VN-2000 transform, COPY writes, exports,
official commune boundaries and indicator values (the geodata_import* and geodata_export commands)."""
