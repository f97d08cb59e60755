"""Reading corpora: readers, page structure, language id, and the ingest stage."""
