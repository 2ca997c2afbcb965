"""Tables of govsvc.portal."""
