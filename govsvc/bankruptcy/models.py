"""Tables of govsvc.bankruptcy."""
