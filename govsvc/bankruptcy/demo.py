"""Demo data of govsvc.bankruptcy (registers its demo step; imported only by govsvc.demo)."""
