"""Demo data of govsvc.care (registers its demo step; imported only by govsvc.demo)."""
