"""The floor for the load benchmark: a one-route Flask app served the same way as the site."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
