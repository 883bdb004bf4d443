"""Business logic per area. Services take a database session and an actor, raise ProblemError, and
record every write in the audit trail; routers stay thin."""
