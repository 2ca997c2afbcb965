"""Module 4: officials' 污点 records (廉政档案). Clue intake and ledgers on the shared matter
ledger, integrity records with full history, restrictions computed by `scoring.integrity`,
integrity certificates with verification codes. Discipline roles only, except the public
complaint column (/complaints/) and certificate verification (/verify/)."""
