"""WSGI entry point for production servers: `gunicorn -w 4 'govsvc.wsgi:app'`.
Refuses to start without a real SECRET_KEY (see govsvc.config)."""
from govsvc import create_app

app = create_app()
