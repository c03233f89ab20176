"""Trade forecasts: bilateral trade series, trend and gravity models, and their conversion to freight."""
