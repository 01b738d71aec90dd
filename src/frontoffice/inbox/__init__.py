"""The service inbox: tickets from e-mail, chat and the API, event-sourced in the log (issue 19)."""
