"""pcflab's shipped data (factor tables, GWP sets, models). Data only, no code."""
