"""Tables of Module 5: 容错纠错, 政法委 ledgers, green channel, honours."""

__all__: list[str] = []
