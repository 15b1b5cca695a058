"""How an entry reads: the house style and the CSL styles, each a plug-in registered by name."""
