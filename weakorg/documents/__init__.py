"""What leaves the building: the 通报 (.docx, bulletin.py) and the meeting brief (PDF, brief.py), as of a date."""
