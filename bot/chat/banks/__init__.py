"""Question banks the group owns: `/bank upload|topics|off|on|export|review-channel`, `/suggest` and its review."""
