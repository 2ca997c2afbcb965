"""Demo data of govsvc.finrisk (registers its demo step; imported only by govsvc.demo)."""
