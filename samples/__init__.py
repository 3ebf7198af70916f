"""Runnable sample apps for flask-resources."""
