"""Tables of Module 5. Liaison, appeals and invitations here; tolerance (容错纠错), the political-
inspection ledgers, the green channel and honours in `models_support`, imported at the end."""


from govsvc.care.models_support import *  # noqa: E402,F401,F403  (the other half of the tables)
