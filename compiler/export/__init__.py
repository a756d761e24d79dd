"""Exports of checked schedules to the forms other tools read (URDB for NREL SAM / REopt)."""
