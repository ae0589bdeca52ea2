"""The `creatormatch` command line: the top floor, which imports the core, the offline jobs and the service."""
