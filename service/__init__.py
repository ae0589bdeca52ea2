"""The FastAPI service that answers queries over a built bundle (see the /match issue)."""
