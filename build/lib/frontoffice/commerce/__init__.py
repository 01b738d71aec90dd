"""Commerce: orders, stock, prices and holds, projected from the event log."""
