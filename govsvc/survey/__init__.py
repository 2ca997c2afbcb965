"""Module 1: the annual survey in which enterprise heads rate the city's departments."""
