"""Offline jobs: sample corpus, validation, features and the index bundle build."""
