"""Write notebooks/*.ipynb from the package's section lists (same as `python -m trafficking_reports notebooks`)."""

from trafficking_reports.notebooks import write_all

if __name__ == "__main__":
    for path in write_all():
        print(f"wrote {path}")
