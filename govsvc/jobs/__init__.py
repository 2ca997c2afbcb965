"""Background jobs for long work started from the web (large imports): a row per job with its
progress, a status page that refreshes itself, and the result. State lives in the database,
so any worker can show the status page of a job another worker runs."""
