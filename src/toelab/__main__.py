from toelab.cli import app

app(prog_name="toelab")
