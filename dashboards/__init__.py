"""The clinic dashboard (Streamlit)."""
