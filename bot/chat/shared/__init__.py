"""What several features share: error replies, modal routing, the member's language, permissions, names,
nonces, audiences, command translation and embed building blocks (colours, clipping, packing, answer splitting)."""
