"""Tables of govsvc.finrisk."""
