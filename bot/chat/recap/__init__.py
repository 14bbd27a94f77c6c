"""The weekly recap: /recap, its embed and its runner."""
