"""Demo data of Module 5: 容错纠错, green channel, honours (a demo step)."""
