"""Out again: the official blank forms and writers that lay returns out in the notice's layout."""
