"""Use cases: async, over the storage repositories and the pure domain; no Discord imports."""
