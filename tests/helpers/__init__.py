"""What several test files share: the seed CV's facts, biblatex's words, a fresh docutils, builds and biber."""
