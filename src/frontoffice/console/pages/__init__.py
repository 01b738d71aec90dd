"""The console's own pages (home, people, workspace admin); other capabilities add theirs
through their ``console_pages``."""
