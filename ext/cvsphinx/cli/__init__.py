"""The commands: ``cvsphinx`` (build, page, pdf, people, upgrade), the PDF driver, the project generator."""
