"""FastAPI routers, one per area; each route declares its rule (api/rules.py)."""
