"""One router per resource, assembled by :func:`kazree.api.app.create_app`."""
