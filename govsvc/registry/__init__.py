"""The shared registry: enterprises, tax records, units, persons; imports; top taxpayers."""
