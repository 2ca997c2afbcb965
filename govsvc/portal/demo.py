"""Demo data of govsvc.portal (registers its demo step; imported only by govsvc.demo)."""
