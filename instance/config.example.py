# Copy to instance/config.py and edit. Environment variables override these values.

# Any SQLAlchemy URL works, for example "postgresql+psycopg://user:pass@localhost/pcn".
# SQLALCHEMY_DATABASE_URI = "sqlite:////absolute/path/to/pain_care_navigator.db"

# Required when APP_ENV is "production": a long random value, e.g. from
#   python -c "import secrets; print(secrets.token_hex(32))"
# SECRET_KEY = "..."

# APP_ENV = "production"
