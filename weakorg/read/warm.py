"""Imported by the reader pool's fork server before it forks the workers (``pool.PRELOAD``): the criteria rules
compiled and the model loaded there once, so every worker starts with them (compiling the rules takes about half a
second, and a worker reads its files' 主要问题 texts: ``weakorg.read._read_in_worker``)."""

from weakorg import criteria
from weakorg.criteria import model as criteria_model

criteria.default_rules()
criteria_model.default_model()
