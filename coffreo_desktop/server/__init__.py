"""The backend: FastAPI app, services, database, storage, PDF, mail, jobs. Imports only the domain."""
