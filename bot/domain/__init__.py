"""The pure domain: rules and data with no Discord, database, scheduler or YAML imports.

Everything here is synchronous and deterministic; time is always passed in as a parameter.
"""
