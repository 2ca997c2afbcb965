"""企业服务门户 (enterprise portal): an account for every enterprise of the registry, its grade,
objections, complaints and reports, and 扫码入企 (confirming and rating inspections at the door). Issue 12."""
