"""What the formatted entries become outside the page: BibTeX, CSL-JSON, COinS and JSON-LD data; PDF tools."""
