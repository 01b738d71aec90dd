"""Insights (issue 20): daily rollups of commerce and service events, and flags with statistics."""
