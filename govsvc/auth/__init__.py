"""Users, roles, login/logout, access decorators, password policy."""
