"""The four roles: a user's groups. What each may do, and where, is asked through goals.roles."""

PLANNER = "Planificador"
DIRECTOR = "Director"
READER = "Lector"
ADMINISTRATOR = "Administrador"
ROLES = (PLANNER, DIRECTOR, READER, ADMINISTRATOR)
